// `dgtools transcribe --json`: one Deepgram-shaped response per audio file, so tools written against Deepgram's
// pre-recorded API read our output unchanged:
//   {"metadata":{"request_id","sha256","created","duration","channels","models","model_info"},
//    "results":{"channels":[{"alternatives":[{"transcript","confidence","words":[{"word","start","end","confidence"}]}]}]}}
// Times are rounded to milliseconds and confidences to 4 decimals, so output is stable across runs and machines.
using System.Text;
using System.Text.Json;

namespace DgTools.Decoding;

/// <param name="RequestId">An id for this transcription (the CLI uses a fresh GUID).</param>
/// <param name="Sha256">Hex SHA-256 of the audio file's bytes.</param>
/// <param name="Created">When the transcription was made.</param>
/// <param name="Models">The models used (uuid, name, version).</param>
public sealed record TranscriptMetadata(string RequestId, string Sha256, DateTimeOffset Created, IReadOnlyList<TranscriptModelInfo> Models);

public sealed record TranscriptModelInfo(Guid Uuid, string Name, string Version, string Arch = "conformer-ctc");

public static class TranscriptJson
{
    public static string Write(Transcript transcript, TranscriptMetadata metadata, bool indented = false)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            w.WriteStartObject();
            w.WriteStartObject("metadata");
            w.WriteString("request_id", metadata.RequestId);
            w.WriteString("sha256", metadata.Sha256);
            w.WriteString("created", metadata.Created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"));
            w.WriteNumber("duration", Math.Round(transcript.Duration, 3));
            w.WriteNumber("channels", 1);
            w.WriteStartArray("models");
            foreach (var m in metadata.Models) w.WriteStringValue(m.Uuid);
            w.WriteEndArray();
            w.WriteStartObject("model_info");
            foreach (var m in metadata.Models)
            {
                w.WriteStartObject(m.Uuid.ToString());
                w.WriteString("name", m.Name);
                w.WriteString("version", m.Version);
                w.WriteString("arch", m.Arch);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();

            w.WriteStartObject("results");
            w.WriteStartArray("channels");
            w.WriteStartObject();
            w.WriteStartArray("alternatives");
            w.WriteStartObject();
            w.WriteString("transcript", transcript.Text);
            w.WriteNumber("confidence", Math.Round(transcript.Confidence, 4));
            w.WriteStartArray("words");
            foreach (var word in transcript.Words)
            {
                w.WriteStartObject();
                w.WriteString("word", word.Word);
                w.WriteNumber("start", Math.Round(word.Start, 3));
                w.WriteNumber("end", Math.Round(word.End, 3));
                w.WriteNumber("confidence", Math.Round(word.Confidence, 4));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
