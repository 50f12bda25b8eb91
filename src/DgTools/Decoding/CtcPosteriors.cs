// What the acoustic model says about one utterance or recording: a natural-log probability for every output unit
// (blank = unit 0) at every output frame, row-major. The one posterior type: the inference engine makes it, the
// decoders, the forced aligners and the frame-target aligner read it, so each can be tested on posteriors made by hand
// and run without TorchSharp. An hour at 25 frames/s and 32 units is 90,000 × 32 floats = 11.5 MB, held whole.
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

    /// <summary>Whole frames of <paramref name="values"/> (frames × units).</summary>
    public CtcPosteriors(float[] values, int units, double frameSeconds)
        : this(values, units <= 1 ? 0 : values.Length / units, Math.Max(units, 2), frameSeconds)
    {
        if (units <= 1) throw new ArgumentOutOfRangeException(nameof(units), "need the blank and at least one unit");
        if (values.Length % units != 0)
            throw new ArgumentException($"{values.Length} values is not a whole number of {units}-unit frames", nameof(values));
    }

    /// <summary>The row-major values (at least Frames × Units; read, do not change).</summary>
    public float[] Values => _logProbs;

    public int Frames { get; }
    public int Units { get; }
    public double FrameSeconds { get; }
    public double DurationSeconds => Frames * FrameSeconds;

    public ReadOnlySpan<float> Row(int frame) => _logProbs.AsSpan(frame * Units, Units);

    public float this[int frame, int unit] => _logProbs[frame * Units + unit];

    /// <summary>The frames [start, end) as their own posteriors (a copy).</summary>
    public CtcPosteriors Slice(int start, int end) =>
        new(_logProbs.AsSpan(start * Units, (end - start) * Units).ToArray(), end - start, Units, FrameSeconds);

    /// <summary>Little-endian float32 file of frames × units values (the fixture and benchmark format).</summary>
    public static CtcPosteriors ReadFloat32(string path, int units, double frameSeconds)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length % 4 != 0) throw new DatasetError("posterior file is not whole float32 values", path);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian hosts");
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return new CtcPosteriors(values, units, frameSeconds);
    }

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
