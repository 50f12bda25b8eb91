// `dgtools transcribe --json`: one Deepgram-shaped response per audio file, so tools written against Deepgram's
// pre-recorded API read our output unchanged:
//   {"metadata":{"request_id","sha256","created","duration","channels","models","model_info"},
//    "results":{"channels":[{"alternatives":[{"transcript","confidence","words":[{"word","start","end","confidence"}]}]}],
//               "utterances":[{"start","end","confidence","channel","transcript","words","id"}] (when asked for)}}
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
    /// <summary>Deepgram's default pause (seconds) between words that starts a new utterance.</summary>
    public const double DefaultUtteranceSplit = 0.8;

    /// <param name="utteranceSplit">Adds results.utterances (Deepgram's `utterances=true`): the words split wherever
    /// the pause between two is at least this many seconds (`utt_split`); null: no utterances.</param>
    public static string Write(Transcript transcript, TranscriptMetadata metadata, bool indented = false, double? utteranceSplit = null)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            w.WriteStartObject();
            w.WriteStartObject("metadata");
            w.WriteString("request_id", metadata.RequestId);
            w.WriteString("sha256", metadata.Sha256);
            w.WriteString("created", Timestamp(metadata.Created));
            w.WriteNumber("duration", Math.Round(transcript.Duration, 3));
            w.WriteNumber("channels", 1);
            WriteModels(w, metadata.Models);
            w.WriteEndObject();

            w.WriteStartObject("results");
            w.WriteStartArray("channels");
            w.WriteStartObject();
            WriteAlternatives(w, transcript);
            w.WriteEndObject();
            w.WriteEndArray();
            if (utteranceSplit is { } split)
            {
                w.WriteStartArray("utterances");
                int index = 0;
                foreach (var words in Utterances(transcript.Words, split))
                {
                    w.WriteStartObject();
                    w.WriteNumber("start", Math.Round(words[0].Start, 3));
                    w.WriteNumber("end", Math.Round(words[^1].End, 3));
                    w.WriteNumber("confidence", Math.Round(words.Average(x => x.Confidence), 4));
                    w.WriteNumber("channel", 0);
                    w.WriteString("transcript", string.Join(' ', words.Select(x => x.Word)));
                    WriteWords(w, words);
                    w.WriteString("id", UtteranceId(metadata.RequestId, index++));
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The words cut wherever the gap between one word's end and the next one's start is at least
    /// <paramref name="split"/> seconds (Deepgram's utterances; `utt_split`).</summary>
    public static IReadOnlyList<IReadOnlyList<WordTiming>> Utterances(IReadOnlyList<WordTiming> words, double split)
    {
        var result = new List<IReadOnlyList<WordTiming>>();
        var current = new List<WordTiming>();
        foreach (var word in words)
        {
            if (current.Count > 0 && word.Start - current[^1].End >= split)
            {
                result.Add(current);
                current = [];
            }
            current.Add(word);
        }
        if (current.Count > 0) result.Add(current);
        return result;
    }

    /// <summary>An utterance's id: a UUID made from the request id and its position, so the same request always
    /// names its utterances the same.</summary>
    private static string UtteranceId(string requestId, int index)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes($"{requestId}/utterance/{index}"));
        hash[6] = (byte)(hash[6] & 0x0F | 0x50); // the version and variant bits of a name-based UUID
        hash[8] = (byte)(hash[8] & 0x3F | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }

    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ");

    /// <summary>"models": [uuid...] and "model_info": {uuid: {name, version, arch}}, as in Deepgram's metadata.</summary>
    public static void WriteModels(Utf8JsonWriter w, IEnumerable<TranscriptModelInfo> models)
    {
        w.WriteStartArray("models");
        foreach (var m in models) w.WriteStringValue(m.Uuid);
        w.WriteEndArray();
        w.WriteStartObject("model_info");
        foreach (var m in models)
        {
            w.WriteStartObject(m.Uuid.ToString());
            WriteModelFields(w, m);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>A model's "name", "version" and "arch".</summary>
    public static void WriteModelFields(Utf8JsonWriter w, TranscriptModelInfo model)
    {
        w.WriteString("name", model.Name);
        w.WriteString("version", model.Version);
        w.WriteString("arch", model.Arch);
    }

    /// <summary>"alternatives": [{transcript, confidence, words}], a channel's one alternative.</summary>
    public static void WriteAlternatives(Utf8JsonWriter w, Transcript transcript)
    {
        w.WriteStartArray("alternatives");
        w.WriteStartObject();
        w.WriteString("transcript", transcript.Text);
        w.WriteNumber("confidence", Math.Round(transcript.Confidence, 4));
        WriteWords(w, transcript.Words);
        w.WriteEndObject();
        w.WriteEndArray();
    }

    /// <summary>"words": [{word, start, end, confidence}]: times rounded to milliseconds, confidences to 4 decimals.</summary>
    public static void WriteWords(Utf8JsonWriter w, IEnumerable<WordTiming> words)
    {
        w.WriteStartArray("words");
        foreach (var word in words)
        {
            w.WriteStartObject();
            w.WriteString("word", word.Word);
            w.WriteNumber("start", Math.Round(word.Start, 3));
            w.WriteNumber("end", Math.Round(word.End, 3));
            w.WriteNumber("confidence", Math.Round(word.Confidence, 4));
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
