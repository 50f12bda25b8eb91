// Audio in, transcripts out: the model's features, the Conformer-CTC network and the decoder, for `transcribe`,
// `evaluate` and validation during training. Recordings longer than ChunkSeconds are cut into chunks at the quietest
// moment near each boundary, recognised one chunk at a time (memory stays bounded by the chunk), and joined.
using DgTools.Audio;
using DgTools.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace DgTools.Decoding;

public sealed class SpeechRecognizer : IDisposable
{
    public const double ChunkSeconds = 30.0;
    /// <summary>How far before a chunk boundary to look for a quiet place to cut.</summary>
    public const double CutSearchSeconds = 3.0;

    private readonly ConformerCtc _network;
    private readonly FeatureFrontEnd _features;
    private readonly Device _device;

    /// <param name="path">The model file, for error messages.</param>
    /// <param name="options">Overrides the decoding options stored in the model.</param>
    public SpeechRecognizer(DgModel model, string? path = null, DecodingOptions? options = null, Device? device = null)
    {
        Model = model;
        _device = device ?? CPU;
        Decoder = ModelDecoding.CreateDecoder(model, options, path);
        if (Decoder.Units.Count != model.Metadata.Architecture.NumUnits)
            throw new ModelFileError($"model lists {Decoder.Units.Count} units but its network outputs {model.Metadata.Architecture.NumUnits}", path);
        _features = FeatureFrontEnd.For(model);
        _network = ConformerCtc.FromFile(model, path);
        _network.to(_device);
        _network.eval();
    }

    public DgModel Model { get; }
    public CtcDecoder Decoder { get; }
    public int SampleRate => Model.Metadata.Features.SampleRate;

    /// <summary>Seconds per CTC output frame.</summary>
    public double FrameSeconds =>
        Model.Metadata.Features.FrameShiftMs / 1000.0 * Model.Metadata.Architecture.Subsampling / Model.Metadata.Architecture.HeadUpsampling;

    /// <summary>Decodes the file (any format AudioDecoder reads) and recognises it.</summary>
    public Transcript TranscribeFile(string audioPath, KeywordBoost? keywords = null) =>
        Transcribe(AudioDecoder.Load(audioPath, SampleRate), keywords);

    /// <summary>Keywords to boost, parsed ("term[:intensifier]") and spelled in this model's units; null for none.</summary>
    public KeywordBoost? Keywords(IReadOnlyCollection<string>? specs) => KeywordBoost.FromSpecs(specs, Decoder.Units, Model.Metadata.Language);

    /// <summary>Recognises mono samples at <see cref="SampleRate"/>, chunk by chunk when long.</summary>
    public Transcript Transcribe(float[] samples, KeywordBoost? keywords = null)
    {
        var chunks = new List<(Transcript, double)>();
        foreach (var (start, length) in Chunks(samples))
        {
            var transcript = Recognize([samples.AsMemory(start, length)], keywords)[0];
            chunks.Add((transcript, start / (double)SampleRate));
        }
        if (chunks.Count == 1) return chunks[0].Item1;
        return Transcript.Join(chunks) with { Duration = samples.Length / (double)SampleRate };
    }

    /// <summary>Recognises short utterances (≤ <see cref="ChunkSeconds"/> each), a few at a time in one network batch.</summary>
    public IReadOnlyList<Transcript> TranscribeBatch(IReadOnlyList<float[]> utterances, double? maxBatchSeconds = null, KeywordBoost? keywords = null)
    {
        var results = new Transcript[utterances.Count];
        foreach (var batch in Batches(utterances, maxBatchSeconds))
        {
            if (batch.Count == 1 && utterances[batch[0]].Length > ChunkSeconds * SampleRate)
            {
                results[batch[0]] = Transcribe(utterances[batch[0]], keywords);
                continue;
            }
            var transcripts = Recognize(batch.Select(i => (ReadOnlyMemory<float>)utterances[i]).ToList(), keywords);
            for (int k = 0; k < batch.Count; k++) results[batch[k]] = transcripts[k];
        }
        return results;
    }

    /// <summary>The network's output for short utterances (≤ <see cref="ChunkSeconds"/> each), before decoding: what
    /// decoder settings are tuned on (compute once, decode many times).</summary>
    public IReadOnlyList<CtcPosteriors> PosteriorsBatch(IReadOnlyList<float[]> utterances, double? maxBatchSeconds = null)
    {
        var results = new CtcPosteriors[utterances.Count];
        foreach (var batch in Batches(utterances, maxBatchSeconds))
        {
            if (batch.Any(i => utterances[i].Length > ChunkSeconds * SampleRate))
                throw new ArgumentException($"an utterance is longer than {ChunkSeconds} s");
            var posteriors = Posteriors(batch.Select(i => (ReadOnlyMemory<float>)utterances[i]).ToList());
            for (int k = 0; k < batch.Count; k++)
                results[batch[k]] = posteriors?[k] ?? new CtcPosteriors([], 0, Model.Metadata.Units.Count, FrameSeconds);
        }
        return results;
    }

    /// <summary>Indices in batches of similar length (little padding), each ≤ maxBatchSeconds of padded audio (default:
    /// the model's <see cref="ModelConfig.InferenceFramesPerBatch"/>).</summary>
    private IEnumerable<List<int>> Batches(IReadOnlyList<float[]> utterances, double? maxBatchSeconds)
    {
        var limit = maxBatchSeconds ?? Model.Metadata.Architecture.InferenceFramesPerBatch() * Model.Metadata.Features.FrameShiftMs / 1000.0;
        var order = Enumerable.Range(0, utterances.Count).OrderBy(i => utterances[i].Length).ToList();
        int next = 0;
        while (next < order.Count)
        {
            var batch = new List<int>();
            double longest = 0;
            while (next < order.Count)
            {
                double seconds = utterances[order[next]].Length / (double)SampleRate;
                if (batch.Count > 0 && Math.Max(longest, seconds) * (batch.Count + 1) > limit) break;
                longest = Math.Max(longest, seconds);
                batch.Add(order[next++]);
            }
            yield return batch;
        }
    }

    private IReadOnlyList<Transcript> Recognize(IReadOnlyList<ReadOnlyMemory<float>> audio, KeywordBoost? keywords)
    {
        var durations = audio.Select(a => a.Length / (double)SampleRate).ToList();
        var posteriors = Posteriors(audio);
        if (posteriors is null) return durations.Select(Transcript.Empty).ToList();
        var transcripts = Decoder.DecodeBatch(posteriors, keywords: keywords);
        return transcripts.Select((t, i) => t with { Duration = durations[i] }).ToList();
    }

    /// <summary>One network batch; null when no utterance is long enough for a feature frame.</summary>
    private IReadOnlyList<CtcPosteriors>? Posteriors(IReadOnlyList<ReadOnlyMemory<float>> audio)
    {
        var features = audio.Select(a => _features.Compute(a.Span).Normalized(Model.Metadata.Features)).ToList();
        int maxFrames = features.Max(f => f.Frames);
        if (maxFrames == 0) return null;

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int bins = features[0].Bins;
        var padded = new float[features.Count * maxFrames * bins];
        for (int b = 0; b < features.Count; b++) features[b].Data.CopyTo(padded, b * maxFrames * bins);
        var input = tensor(padded, [features.Count, maxFrames, bins], ScalarType.Float32).to(_device);
        var lengths = tensor(features.Select(f => (long)f.Frames).ToArray(), ScalarType.Int64).to(_device);
        var (logProbs, outLengths) = _network.call(input, lengths);
        var frames = outLengths.cpu().data<long>().Select(l => (int)l).ToList();
        return CtcPosteriors.FromBatch(logProbs, frames, FrameSeconds);
    }

    /// <summary>(start, length) of each chunk: ≤ ChunkSeconds, cut at the quietest 20 ms in the last few seconds.</summary>
    internal IEnumerable<(int Start, int Length)> Chunks(float[] samples)
    {
        int chunk = (int)(ChunkSeconds * SampleRate), search = (int)(CutSearchSeconds * SampleRate), window = SampleRate / 50;
        int start = 0;
        while (samples.Length - start > chunk)
        {
            int cut = start + chunk, quietest = cut;
            double lowest = double.MaxValue;
            for (int w = cut - search; w + window <= cut; w += window / 2)
            {
                double energy = 0;
                for (int i = w; i < w + window; i++) energy += samples[i] * samples[i];
                if (energy <= lowest) { lowest = energy; quietest = w + window / 2; } // the latest of equals: longer chunks
            }
            yield return (start, quietest - start);
            start = quietest;
        }
        yield return (start, samples.Length - start);
    }

    public void Dispose()
    {
        _network.Dispose();
        _features.Dispose();
    }
}
