// Level checks on decoded samples (floats in [-1, 1]): clipping and silence.
namespace DgTools.Quality;

public static class AudioLevels
{
    private const float FullScale = 0.999f;

    /// <summary>Share of samples at full scale in runs of at least 3 (single full-scale peaks are not clipping).</summary>
    public static double ClippedShare(ReadOnlySpan<float> samples)
    {
        if (samples.Length == 0) return 0;
        long clipped = 0;
        var run = 0;
        for (var i = 0; i <= samples.Length; i++)
        {
            if (i < samples.Length && Math.Abs(samples[i]) >= FullScale)
            {
                run++;
                continue;
            }
            if (run >= 3) clipped += run;
            run = 0;
        }
        return clipped / (double)samples.Length;
    }

    /// <summary>The loudest 25 ms frame's RMS level in dBFS (a full-scale sine is -3 dBFS); -∞ for digital silence.</summary>
    public static double LoudestFrameDbfs(ReadOnlySpan<float> samples, int sampleRate)
    {
        var frame = Math.Max(1, sampleRate / 40);
        var loudest = 0.0;
        for (var start = 0; start < samples.Length; start += frame)
        {
            var end = Math.Min(samples.Length, start + frame);
            var sum = 0.0;
            for (var i = start; i < end; i++) sum += samples[i] * (double)samples[i];
            loudest = Math.Max(loudest, sum / (end - start));
        }
        return loudest == 0 ? double.NegativeInfinity : 10 * Math.Log10(loudest);
    }
}
