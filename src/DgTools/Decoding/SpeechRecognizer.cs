// Audio in, transcripts out: the model's InferenceEngine (features, normalisation, chunking, batching, the network)
// and its decoder, for `transcribe`, `evaluate` and the API server. Recordings of any length: the engine runs long
// ones in pieces with context and returns one posterior matrix, decoded as a whole.
using DgTools.Audio;
using DgTools.Inference;
using DgTools.Model;
using static TorchSharp.torch;

namespace DgTools.Decoding;

public sealed class SpeechRecognizer : IDisposable
{
    /// <summary>Audio per network call for long recordings (plus context on each side, see InferenceOptions).</summary>
    public const double ChunkSeconds = 30.0;

    /// <param name="path">The model file, for error messages.</param>
    /// <param name="options">Overrides the decoding options stored in the model.</param>
    public SpeechRecognizer(DgModel model, string? path = null, DecodingOptions? options = null, Device? device = null)
    {
        Model = model;
        Decoder = ModelDecoding.CreateDecoder(model, options, path);
        if (Decoder.Units.Count != model.Metadata.Architecture.NumUnits)
            throw new ModelFileError($"model lists {Decoder.Units.Count} units but its network outputs {model.Metadata.Architecture.NumUnits}", path);
        Engine = new InferenceEngine(model, path, device, new InferenceOptions(ChunkSeconds));
    }

    public DgModel Model { get; }
    public CtcDecoder Decoder { get; }
    public InferenceEngine Engine { get; }
    public int SampleRate => Engine.SampleRate;

    /// <summary>Seconds per CTC output frame.</summary>
    public double FrameSeconds => Engine.FrameSeconds;

    /// <summary>Decodes the file (any format AudioDecoder reads) and recognises it.</summary>
    public Transcript TranscribeFile(string audioPath, KeywordBoost? keywords = null) =>
        Transcribe(AudioDecoder.Load(audioPath, SampleRate), keywords);

    /// <summary>Keywords to boost, parsed ("term[:intensifier]") and spelled in this model's units; null for none.</summary>
    public KeywordBoost? Keywords(IReadOnlyCollection<string>? specs) => KeywordBoost.FromSpecs(specs, Decoder.Units, Model.Metadata.Language);

    /// <summary>Recognises mono samples at <see cref="SampleRate"/> (any length).</summary>
    public Transcript Transcribe(float[] samples, KeywordBoost? keywords = null) => TranscribeBatch([samples], keywords: keywords)[0];

    /// <summary>Recognises recordings, the network's work batched across them; results in input order.</summary>
    /// <param name="maxBatchSeconds">Padded audio per network call (default: the model's inference batch).</param>
    public IReadOnlyList<Transcript> TranscribeBatch(IReadOnlyList<float[]> utterances, double? maxBatchSeconds = null, KeywordBoost? keywords = null)
    {
        var posteriors = PosteriorsBatch(utterances, maxBatchSeconds);
        var decoded = Decoder.DecodeBatch(posteriors.Where(p => p.Frames > 0).ToList(), keywords: keywords);
        var next = 0;
        return posteriors.Select((p, i) =>
        {
            var duration = utterances[i].Length / (double)SampleRate;
            return p.Frames == 0 ? Transcript.Empty(duration) : decoded[next++] with { Duration = duration };
        }).ToList();
    }

    /// <summary>The network's output for recordings, before decoding: what decoder settings are tuned on (compute
    /// once, decode many times).</summary>
    public IReadOnlyList<CtcPosteriors> PosteriorsBatch(IReadOnlyList<float[]> utterances, double? maxBatchSeconds = null) =>
        Engine.Posteriors(utterances, maxBatchSeconds is { } seconds
            ? (int)(seconds * 1000 / Model.Metadata.Features.FrameShiftMs) : null);

    public void Dispose() => Engine.Dispose();
}
