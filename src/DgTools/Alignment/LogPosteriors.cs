// A model's output for one recording: natural-log posteriors per output frame and unit (blank = unit 0), row-major.
// An hour at 25 frames/s and 32 units is 90,000 × 32 floats = 11.5 MB, so the matrix is held whole; only the
// alignment search needs windowing.
namespace DgTools.Alignment;

public sealed class LogPosteriors
{
    public LogPosteriors(float[] values, int units, double frameSeconds)
    {
        if (units <= 1) throw new ArgumentOutOfRangeException(nameof(units), "need the blank and at least one unit");
        if (values.Length % units != 0)
            throw new ArgumentException($"{values.Length} values is not a whole number of {units}-unit frames", nameof(values));
        if (frameSeconds <= 0) throw new ArgumentOutOfRangeException(nameof(frameSeconds));
        Values = values;
        Units = units;
        FrameSeconds = frameSeconds;
    }

    public float[] Values { get; }
    public int Units { get; }
    public int Frames => Values.Length / Units;

    /// <summary>Seconds of audio per output frame (feature shift × subsampling, e.g. 0.04).</summary>
    public double FrameSeconds { get; }

    public double DurationSeconds => Frames * FrameSeconds;

    public ReadOnlySpan<float> Frame(int t) => Values.AsSpan(t * Units, Units);

    public float this[int t, int unit] => Values[t * Units + unit];

    /// <summary>The frames [start, end) as their own matrix (a copy).</summary>
    public LogPosteriors Slice(int start, int end) =>
        new(Values.AsSpan(start * Units, (end - start) * Units).ToArray(), Units, FrameSeconds);

    /// <summary>Greedy CTC reading of frames [start, end): best unit per frame, repeats merged, blanks dropped.</summary>
    public int[] GreedyUnits(int start, int end)
    {
        var result = new List<int>();
        var previous = -1;
        for (var t = Math.Max(0, start); t < Math.Min(end, Frames); t++)
        {
            var frame = Frame(t);
            var best = 0;
            for (var u = 1; u < frame.Length; u++)
                if (frame[u] > frame[best]) best = u;
            if (best != 0 && best != previous) result.Add(best);
            previous = best;
        }
        return result.ToArray();
    }

    /// <summary>Little-endian float32 file of frames × units values (the fixture and benchmark format).</summary>
    public static LogPosteriors ReadFloat32(string path, int units, double frameSeconds)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length % 4 != 0) throw new DatasetError("posterior file is not whole float32 values", path);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian hosts");
        return new LogPosteriors(values, units, frameSeconds);
    }
}
