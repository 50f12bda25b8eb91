// The JSON messages of Deepgram's live API that the server sends: Results (interim or final, with speech_final),
// Metadata (once, at the end) and Error (before closing on a client's mistake).
using System.Text;
using System.Text.Json;
using DgTools.Decoding;

namespace DgTools.Server;

public static class LiveMessages
{
    public static string Results(Transcript words, double start, double duration, bool isFinal, bool speechFinal,
        bool fromFinalize, string requestId, TranscriptModelInfo model)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", "Results");
            w.WriteStartArray("channel_index");
            w.WriteNumberValue(0);
            w.WriteNumberValue(1);
            w.WriteEndArray();
            w.WriteNumber("duration", Math.Round(duration, 3));
            w.WriteNumber("start", Math.Round(start, 3));
            w.WriteBoolean("is_final", isFinal);
            w.WriteBoolean("speech_final", speechFinal);
            w.WriteStartObject("channel");
            TranscriptJson.WriteAlternatives(w, words);
            w.WriteEndObject();
            w.WriteStartObject("metadata");
            w.WriteString("request_id", requestId);
            w.WriteStartObject("model_info");
            TranscriptJson.WriteModelFields(w, model);
            w.WriteEndObject();
            w.WriteString("model_uuid", model.Uuid);
            w.WriteEndObject();
            w.WriteBoolean("from_finalize", fromFinalize);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string Metadata(string requestId, string sha256, DateTimeOffset created, double duration, TranscriptModelInfo model)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", "Metadata");
            w.WriteString("transaction_key", "deprecated");
            w.WriteString("request_id", requestId);
            w.WriteString("sha256", sha256);
            w.WriteString("created", TranscriptJson.Timestamp(created));
            w.WriteNumber("duration", Math.Round(duration, 3));
            w.WriteNumber("channels", 1);
            TranscriptJson.WriteModels(w, [model]);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string Error(ApiError error, string requestId) => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["type"] = "Error",
        ["err_code"] = error.Code,
        ["err_msg"] = error.Message,
        ["request_id"] = requestId,
    }, ApiError.Relaxed);
}
