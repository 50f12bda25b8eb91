// What the acoustic model says about one utterance: a log-probability for every output unit at every output frame.
// The decoders read only this, so they can be tested on posteriors made by hand and run without TorchSharp.
using TorchSharp;

namespace DgTools.Decoding;

public sealed class CtcPosteriors
{
    private readonly float[] _logProbs;

    /// <param name="logProbs">Row-major [frames, units] natural-log probabilities (log-softmax output).</param>
    /// <param name="frameSeconds">Seconds between output frames (feature shift × subsampling).</param>
    public CtcPosteriors(float[] logProbs, int frames, int units, double frameSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        ArgumentOutOfRangeException.ThrowIfLessThan(units, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameSeconds);
        if (logProbs.Length < (long)frames * units) throw new ArgumentException($"need {frames}×{units} values, got {logProbs.Length}");
        _logProbs = logProbs;
        Frames = frames;
        Units = units;
        FrameSeconds = frameSeconds;
    }

    public int Frames { get; }
    public int Units { get; }
    public double FrameSeconds { get; }
    public double DurationSeconds => Frames * FrameSeconds;

    public ReadOnlySpan<float> Row(int frame) => _logProbs.AsSpan(frame * Units, Units);

    public float this[int frame, int unit] => _logProbs[frame * Units + unit];

    /// <summary>From per-frame probabilities (rows need not be normalised; they are).</summary>
    public static CtcPosteriors FromProbabilities(float[][] rows, double frameSeconds)
    {
        int units = rows.Length == 0 ? 2 : rows[0].Length;
        var lp = new float[rows.Length * units];
        for (int t = 0; t < rows.Length; t++)
        {
            if (rows[t].Length != units) throw new ArgumentException("every frame needs the same number of units");
            double sum = rows[t].Sum();
            for (int u = 0; u < units; u++) lp[t * units + u] = (float)Math.Log(Math.Max(rows[t][u] / sum, 1e-30));
        }
        return new CtcPosteriors(lp, rows.Length, units, frameSeconds);
    }

    /// <summary>From a [frames, units] tensor of log-probabilities (any device or float dtype).</summary>
    public static CtcPosteriors FromTensor(torch.Tensor logProbs, double frameSeconds)
    {
        if (logProbs.dim() != 2) throw new ArgumentException($"expected [frames, units], got {logProbs.dim()} dimensions");
        using var cpu = logProbs.detach().to(torch.CPU).to_type(torch.ScalarType.Float32).contiguous();
        return new CtcPosteriors(cpu.data<float>().ToArray(), (int)cpu.shape[0], (int)cpu.shape[1], frameSeconds);
    }

    /// <summary>Splits a [batch, frames, units] tensor into utterances of the given valid lengths.</summary>
    public static IReadOnlyList<CtcPosteriors> FromBatch(torch.Tensor logProbs, IReadOnlyList<int> lengths, double frameSeconds)
    {
        if (logProbs.dim() != 3) throw new ArgumentException($"expected [batch, frames, units], got {logProbs.dim()} dimensions");
        if (lengths.Count != logProbs.shape[0]) throw new ArgumentException("one length per utterance");
        using var cpu = logProbs.detach().to(torch.CPU).to_type(torch.ScalarType.Float32).contiguous();
        int frames = (int)cpu.shape[1], units = (int)cpu.shape[2];
        var all = cpu.data<float>().ToArray();
        var result = new CtcPosteriors[lengths.Count];
        for (int b = 0; b < lengths.Count; b++)
        {
            int len = Math.Clamp(lengths[b], 0, frames);
            result[b] = new CtcPosteriors(all.AsSpan(b * frames * units, len * units).ToArray(), len, units, frameSeconds);
        }
        return result;
    }
}
