// `dgtools transcribe` below the command line: one model, many audio files, one transcript each with the metadata a
// Deepgram-shaped response carries (request id, the file's SHA-256, the model).
using System.Security.Cryptography;
using DgTools.Model;
using static TorchSharp.torch;

namespace DgTools.Decoding;

/// <param name="Model">The model, read from <paramref name="ModelPath"/>.</param>
/// <param name="AdjustDecoding">Changes the model's stored decoding options (--greedy, --beam-size); null keeps them.</param>
/// <param name="Keywords">Words to boost in the beam search, "term[:intensifier]" (Deepgram's keywords).</param>
public sealed record TranscriptionRequest(DgModel Model, string ModelPath, IReadOnlyList<string> AudioPaths,
    Func<DecodingOptions, DecodingOptions>? AdjustDecoding = null, Device? Device = null, IReadOnlyList<string>? Keywords = null);

public sealed record FileTranscript(string AudioPath, Transcript Transcript, TranscriptMetadata Metadata);

public static class FileTranscription
{
    /// <summary>Transcribes the files in order, each as soon as it is done (a missing file fails when reached, after
    /// the ones before it were returned).</summary>
    public static IEnumerable<FileTranscript> Run(TranscriptionRequest request)
    {
        var file = request.Model;
        var stored = ModelDecoding.ReadOptions(file, request.ModelPath);
        using var recognizer = new SpeechRecognizer(file, request.ModelPath, request.AdjustDecoding?.Invoke(stored) ?? stored, request.Device);
        var keywords = recognizer.Keywords(request.Keywords?.ToList());
        var model = new TranscriptModelInfo(file.Metadata.Uuid, file.Metadata.Name, file.Metadata.Version);
        foreach (var path in request.AudioPaths)
        {
            if (!File.Exists(path)) throw new AudioError("audio file not found", path);
            var transcript = recognizer.TranscribeFile(path, keywords);
            string sha;
            using (var stream = File.OpenRead(path)) sha = Convert.ToHexStringLower(SHA256.HashData(stream));
            yield return new FileTranscript(path, transcript, new TranscriptMetadata(Guid.NewGuid().ToString(), sha, DateTimeOffset.UtcNow, [model]));
        }
    }
}
