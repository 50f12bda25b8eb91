// What audio becomes for a model: the log-mel filterbank (FbankExtractor) and, for a model whose FeatureConfig says
// SpeechEmbedding, the 96-d speech_embedding stream (SpeechEmbeddingNetwork, weights from the model's own .dg) beside it.
// Both are computed over the whole clip. The stream gives one vector per 80 ms; it is aligned with the filterbank's
// 10 ms frames and interpolated to them, so a feature matrix holds NumMelBins log-mel columns followed by 96 stream
// columns per frame and everything downstream (cache, batching, chunked inference) handles one matrix per utterance.
//
// Alignment: filterbank frame i covers samples [160 i, 160 i + 400) (snip edges), centre 160 i + 200. Stream vector k
// covers mel frames [8 k, 8 k + 76) of the melspectrogram graph (512-sample frames, hop 160), centre 1280 k + 6256 in
// its input. The clip is padded with 5496 zero samples in front, so vector k is centred on filterbank frames 8 k … 8 k + 7
// (centre 8 k + 3.5), and with zeros behind to give ceil(frames / 8) vectors; frame i takes the linear interpolation
// at position (i − 3.5) / 8 (clamped to the first and last vector).
//
// A model that tunes the front end (FeatureConfig.SpeechEmbeddingMelspectrogram) gets the stream's input instead: the
// 32-band melspectrogram of the same padded clip, scaled x / 10 + 2, frame i + 34 in row i (its centre is filterbank
// frame i's), and runs the network itself (TrainableSpeechEmbedding), where the interpolation is repeated.
using System.IO.Hashing;
using DgTools.Audio;
using DgTools.Model.SpeechEmbedding;
using static TorchSharp.torch;

namespace DgTools.Model;

public sealed class FeatureFrontEnd : IDisposable
{
    /// <summary>Zero samples in front of the clip that centre stream vector k on filterbank frames 8k … 8k + 7.</summary>
    public const int LeadingPadSamples = 5496;

    /// <summary>Melspectrogram frames of the padded clip before the one centred on filterbank frame 0.</summary>
    public const int LeadingMelFrames = 34;

    private readonly FbankExtractor _fbank;
    private readonly SpeechEmbeddingNetwork? _embedding;

    /// <param name="tensors">The model's tensors; needed (the speech_embedding.* ones) when the config asks for the stream.</param>
    public FeatureFrontEnd(FeatureConfig config, IReadOnlyDictionary<string, TensorData>? tensors = null)
    {
        Config = config;
        _fbank = new FbankExtractor(config);
        CacheKey = $"kaldi-fbank-1|{config.SampleRate}|{config.NumMelBins}|{config.FrameLengthMs:R}|{config.FrameShiftMs:R}|{config.Dither:R}";
        if (!config.SpeechEmbedding) return;
        if (config.SampleRate != SpeechEmbeddingNetwork.SampleRate || config.FrameShiftMs != 10.0 || config.FrameLengthMs != 25.0)
            throw new ModelFileError("the speech-embedding stream needs 16 kHz audio with 25 ms / 10 ms filterbank frames");
        if (tensors is null) throw new ModelFileError("the model's features include the speech-embedding stream but its weights were not given");
        _embedding = new SpeechEmbeddingNetwork(tensors);
        // The cache key names the weights the features depend on by their hash, so a model with other weights never
        // reads these entries: all of them for the stream, the melspectrogram's for its input (the convolutions are the
        // model's to tune).
        var hash = new XxHash128();
        foreach (var name in SpeechEmbeddingNetwork.Shapes().Keys.Order(StringComparer.Ordinal))
            if (!config.SpeechEmbeddingMelspectrogram || !SpeechEmbeddingNetwork.IsConvolution(name)) hash.Append(tensors[name].Data);
        CacheKey += config.SpeechEmbeddingMelspectrogram ? "|speech-embedding-melspectrogram-1|" : "|speech-embedding-1|";
        CacheKey += Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    /// <summary>The front end of a model file: its feature settings and, when they ask for it, its stream weights.</summary>
    public static FeatureFrontEnd For(DgModel model)
    {
        if (model.Metadata.Features.SpeechEmbedding != (model.Metadata.Architecture.SpeechEmbeddingDim > 0)
            || model.Metadata.Features.SpeechEmbeddingMelspectrogram != model.Metadata.Architecture.SpeechEmbeddingTrainable)
            throw new ModelFileError("the model's feature settings and architecture disagree about the speech-embedding stream");
        return new FeatureFrontEnd(model.Metadata.Features, model.Tensors);
    }

    public FeatureConfig Config { get; }

    /// <summary>Columns per frame: the mel bins, plus 96 when the stream is on (32 when the model tunes it).</summary>
    public int Bins => Config.NumMelBins + (_embedding is null ? 0
        : Config.SpeechEmbeddingMelspectrogram ? SpeechEmbeddingNetwork.MelBands : SpeechEmbeddingNetwork.Dimension);

    /// <summary>Names the algorithm, settings and weights: equal keys mean equal features.</summary>
    public string CacheKey { get; }

    public int FrameCount(int samples) => _fbank.FrameCount(samples);

    /// <summary>Raw (unnormalised) features of one clip of Config.SampleRate audio.</summary>
    public FeatureMatrix Compute(ReadOnlySpan<float> samples)
    {
        var fbank = _fbank.Compute(samples);
        if (_embedding is null || fbank.Frames == 0) return fbank.Bins == Bins ? fbank : new FeatureMatrix([], 0, Bins);
        if (Config.SpeechEmbeddingMelspectrogram) return WithMelspectrogram(fbank, samples);
        var stream = Stream(samples, fbank.Frames);
        var (frames, mel, dim) = (fbank.Frames, fbank.Bins, SpeechEmbeddingNetwork.Dimension);
        var data = new float[frames * Bins];
        for (var i = 0; i < frames; i++)
        {
            fbank.Row(i).CopyTo(data.AsSpan(i * Bins, mel));
            var (lower, upper, w) = SpeechEmbeddingNetwork.Interpolation(i, stream.Length / dim - 1);
            for (var d = 0; d < dim; d++)
                data[i * Bins + mel + d] = (1 - w) * stream[lower * dim + d] + w * stream[upper * dim + d];
        }
        return new FeatureMatrix(data, frames, Bins);
    }

    /// <summary>The stream's ceil(frames / 8) vectors, row-major.</summary>
    private float[] Stream(ReadOnlySpan<float> samples, int frames)
    {
        using var scope = NewDisposeScope();
        var mel = PaddedMelspectrogram(samples, frames);
        return _embedding!.Embed(mel).contiguous().data<float>().ToArray();
    }

    /// <summary>The filterbank rows, each followed by the scaled melspectrogram frame centred on it.</summary>
    private FeatureMatrix WithMelspectrogram(FeatureMatrix fbank, ReadOnlySpan<float> samples)
    {
        var (frames, mel, bands) = (fbank.Frames, fbank.Bins, SpeechEmbeddingNetwork.MelBands);
        float[] melspectrogram;
        using (NewDisposeScope())
        {
            var rows = PaddedMelspectrogram(samples, frames).narrow(0, LeadingMelFrames, frames);
            melspectrogram = SpeechEmbeddingNetwork.Scale(rows).contiguous().data<float>().ToArray();
        }
        var data = new float[frames * Bins];
        for (var i = 0; i < frames; i++)
        {
            fbank.Row(i).CopyTo(data.AsSpan(i * Bins, mel));
            melspectrogram.AsSpan(i * bands, bands).CopyTo(data.AsSpan(i * Bins + mel, bands));
        }
        return new FeatureMatrix(data, frames, Bins);
    }

    /// <summary>The melspectrogram of the clip padded for ceil(frames / 8) stream vectors: 8 · vectors + 68 frames.</summary>
    private Tensor PaddedMelspectrogram(ReadOnlySpan<float> samples, int frames)
    {
        var vectors = (frames + SpeechEmbeddingNetwork.FramesPerVector - 1) / SpeechEmbeddingNetwork.FramesPerVector;
        var melFrames = SpeechEmbeddingNetwork.WindowFrames + SpeechEmbeddingNetwork.FramesPerVector * (vectors - 1);
        var padded = new float[SpeechEmbeddingNetwork.FftSamples + SpeechEmbeddingNetwork.HopSamples * (melFrames - 1)];
        var take = Math.Min(samples.Length, padded.Length - LeadingPadSamples);
        samples[..take].CopyTo(padded.AsSpan(LeadingPadSamples));
        return _embedding!.Melspectrogram(padded);
    }

    public void Dispose() => _embedding?.Dispose();
}
