// Features of one utterance: frames × bins, row-major in one float array (cheap to cache, to hand to a tensor).
using TorchSharp;

namespace DgTools.Audio;

public sealed class FeatureMatrix
{
    public FeatureMatrix(float[] data, int frames, int bins)
    {
        if (data.Length != frames * bins) throw new ArgumentException($"{data.Length} values is not {frames} × {bins}", nameof(data));
        Data = data;
        Frames = frames;
        Bins = bins;
    }

    public float[] Data { get; }
    public int Frames { get; }
    public int Bins { get; }

    public float this[int frame, int bin] => Data[frame * Bins + bin];

    public ReadOnlySpan<float> Row(int frame) => Data.AsSpan(frame * Bins, Bins);

    /// <summary>A new [frames, bins] float32 CPU tensor holding a copy of the values.</summary>
    public torch.Tensor ToTensor() => torch.tensor(Data, [Frames, Bins], torch.ScalarType.Float32);

    /// <summary>Per-utterance mean/variance normalisation of each bin (FeatureConfig.Normalization "utterance"):
    /// zero mean, unit variance per bin over this utterance's frames; a constant bin becomes 0. Only the first
    /// <paramref name="normalizedBins"/> bins (default: all) are normalised; the others are copied unchanged.</summary>
    public FeatureMatrix NormalizedPerUtterance(int? normalizedBins = null)
    {
        var result = new float[Data.Length];
        if (Frames == 0) return new FeatureMatrix(result, 0, Bins);
        var (mean, scale) = UtteranceStatistics(normalizedBins);
        for (int f = 0; f < Frames; f++)
            for (int b = 0; b < Bins; b++)
                result[f * Bins + b] = (float)((Data[f * Bins + b] - mean[b]) * scale[b]);
        return new FeatureMatrix(result, Frames, Bins);
    }

    /// <summary>The per-bin mean and 1/standard deviation <see cref="NormalizedPerUtterance"/> applies: value ↦
    /// (float)((value - Mean[b]) * Scale[b]). Lets a long recording be normalised a piece at a time (no second copy).
    /// Bins from <paramref name="normalizedBins"/> on get mean 0 and scale 1 (left as they are).</summary>
    public (double[] Mean, double[] Scale) UtteranceStatistics(int? normalizedBins = null)
    {
        var mean = new double[Bins];
        var sq = new double[Bins];
        var scale = new double[Bins];
        if (Frames == 0) return (mean, scale);
        for (int f = 0; f < Frames; f++)
        {
            var row = Row(f);
            for (int b = 0; b < Bins; b++) { mean[b] += row[b]; sq[b] += (double)row[b] * row[b]; }
        }
        for (int b = 0; b < Bins; b++)
        {
            mean[b] /= Frames;
            double variance = Math.Max(0.0, sq[b] / Frames - mean[b] * mean[b]);
            scale[b] = variance > 1e-10 ? 1.0 / Math.Sqrt(variance) : 0.0;
        }
        for (int b = normalizedBins ?? Bins; b < Bins; b++) (mean[b], scale[b]) = (0.0, 1.0);
        return (mean, scale);
    }

    /// <summary>The per-bin (mean, scale) the config's normalisation ("utterance" or "none") applies to the mel bins:
    /// value ↦ (float)((value − Mean[b]) × Scale[b]); the speech-embedding stream after them stays as it is (mean 0,
    /// scale 1). The one place a model's FeatureConfig.Normalization is read: training (CachedUtterances) and inference
    /// (InferenceEngine) both normalise through it.</summary>
    public (double[] Mean, double[] Scale) NormalizationFor(FeatureConfig config) => config.Normalization switch
    {
        "utterance" => UtteranceStatistics(config.NumMelBins),
        "none" => (new double[Bins], Enumerable.Repeat(1.0, Bins).ToArray()),
        _ => throw new ConfigError($"unknown feature normalisation '{config.Normalization}' (expected utterance or none)"),
    };

    /// <summary>Applies the normalisation the config asks for (see <see cref="NormalizationFor"/>).</summary>
    public FeatureMatrix Normalized(FeatureConfig config)
    {
        var (mean, scale) = NormalizationFor(config);
        var result = new float[Data.Length];
        for (int f = 0; f < Frames; f++)
            for (int b = 0; b < Bins; b++)
                result[f * Bins + b] = (float)((Data[f * Bins + b] - mean[b]) * scale[b]);
        return new FeatureMatrix(result, Frames, Bins);
    }
}
