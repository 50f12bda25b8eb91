using DgTools.Decoding;

namespace DgTools.Tests.Decoding;

/// <summary>Builds CTC posteriors by hand: one frame per unit, a blank frame after each, with chosen confusions.</summary>
internal sealed class SyntheticPosteriors(CtcUnits units)
{
    public const double FrameSeconds = 0.04;
    public static readonly CtcUnits English = new(["<blank>", " ", .. "abcdefghijklmnopqrstuvwxyz'".Select(c => c.ToString())]);

    private readonly List<float[]> _rows = [];

    public SyntheticPosteriors() : this(English) { }

    public int Frames => _rows.Count;

    /// <summary>A frame with the given probabilities; the rest of the mass is spread evenly over the other units.</summary>
    public SyntheticPosteriors Frame(params (string Unit, double P)[] peaks)
    {
        var row = new float[units.Count];
        double rest = 1 - peaks.Sum(p => p.P);
        var ids = peaks.Select(p => p.Unit == "" ? CtcUnits.Blank : units.All.ToList().IndexOf(p.Unit)).ToArray();
        if (ids.Any(i => i < 0)) throw new ArgumentException("unknown unit");
        for (int u = 0; u < units.Count; u++) row[u] = (float)(rest / (units.Count - peaks.Length));
        for (int i = 0; i < peaks.Length; i++) row[ids[i]] = (float)peaks[i].P;
        _rows.Add(row);
        return this;
    }

    public SyntheticPosteriors Blank(double p = 0.95, int frames = 1)
    {
        for (int i = 0; i < frames; i++) Frame(("", p));
        return this;
    }

    /// <summary>Each character (space = separator) in its own frame with probability <paramref name="peak"/>, blanks between.</summary>
    public SyntheticPosteriors Say(string text, double peak = 0.95)
    {
        foreach (var c in text)
        {
            Frame((c.ToString(), peak));
            Blank(peak);
        }
        return this;
    }

    /// <summary>One frame where the acoustic model hesitates between two units.</summary>
    public SyntheticPosteriors Confuse(string likelier, double p1, string other, double p2)
    {
        Frame((likelier, p1), (other, p2));
        return Blank();
    }

    /// <summary>Mixes every frame with random noise: <paramref name="level"/> 0 is unchanged, 1 is pure noise.</summary>
    public SyntheticPosteriors AddNoise(Random rng, double level)
    {
        foreach (var row in _rows)
        {
            var noise = Enumerable.Range(0, row.Length).Select(_ => rng.NextDouble()).ToArray();
            double sum = noise.Sum();
            for (int u = 0; u < row.Length; u++) row[u] = (float)((1 - level) * row[u] + level * noise[u] / sum);
        }
        return this;
    }

    public CtcPosteriors Build() => CtcPosteriors.FromProbabilities([.. _rows], FrameSeconds);
}
