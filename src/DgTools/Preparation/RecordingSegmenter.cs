// Cuts an aligned recording into training samples at word boundaries. The cut points are chosen together (dynamic
// programming over word boundaries) so that every segment lasts MinSeconds..MaxSeconds, there are as few segments as
// possible, and cuts fall in pauses rather than between words spoken without one. Untranscribed audio between words
// always gets a cut and is left out. Segments whose words fit the audio poorly are kept, marked unusable, for the
// data-quality report.
using DgTools.Alignment;
namespace DgTools.Preparation;

/// <param name="Start">Seconds into the recording.</param>
/// <param name="Text">The segment's words as the model is trained on them (normalised transcript).</param>
/// <param name="Score">Mean alignment score of its words.</param>
/// <param name="ExcludedBecause">Why the segment is not used for training; null when it is.</param>
public sealed record Segment(
    int Index, double Start, double End, string Text, int FirstWord, int LastWord, double Score, int PoorWords,
    string? ExcludedBecause)
{
    public bool Usable => ExcludedBecause is null;
    public double Duration => End - Start;
}

public static class RecordingSegmenter
{
    private const double ShortPauseSeconds = 0.15;

    public static IReadOnlyList<Segment> Cut(RecordingAlignment alignment, SegmentationOptions options)
    {
        var words = alignment.Words;
        if (!alignment.Aligned || words.Count == 0) return [];
        var n = words.Count;
        var duration = alignment.DurationSeconds;

        // Gap i lies between word i-1 and word i (i = 1..n-1).
        var pause = new double[n + 1];
        var forced = new bool[n + 1];
        for (var i = 1; i < n; i++)
            pause[i] = alignment.Seconds(words[i].StartFrame) - alignment.Seconds(words[i - 1].EndFrame);
        // Padding never reaches into untranscribed audio: it stops where such audio starts (or resumes after it).
        var untranscribedStart = new double[n + 1];
        var untranscribedEnd = new double[n + 1];
        Array.Fill(untranscribedStart, double.PositiveInfinity);
        Array.Fill(untranscribedEnd, double.NegativeInfinity);
        foreach (var g in alignment.Untranscribed)
        {
            if (g.Gap < 0 || g.Gap > n) continue;
            untranscribedStart[g.Gap] = Math.Min(untranscribedStart[g.Gap], alignment.Seconds(g.StartFrame));
            untranscribedEnd[g.Gap] = Math.Max(untranscribedEnd[g.Gap], alignment.Seconds(g.EndFrame));
            if (g.Gap > 0 && g.Gap < n && alignment.Seconds(g.EndFrame - g.StartFrame) > options.MaxUntranscribedSeconds)
                forced[g.Gap] = true;
        }

        double StartOf(int a) => Math.Max(untranscribedEnd[a], a == 0
            ? Math.Max(0, alignment.Seconds(words[0].StartFrame) - options.PaddingSeconds)
            : alignment.Seconds(words[a].StartFrame) - Math.Min(options.PaddingSeconds, pause[a] / 2));
        double EndOf(int b) => Math.Min(untranscribedStart[b + 1], b == n - 1
            ? Math.Min(duration, alignment.Seconds(words[b].EndFrame) + options.PaddingSeconds)
            : alignment.Seconds(words[b].EndFrame) + Math.Min(options.PaddingSeconds, pause[b + 1] / 2));

        // best[i]: cost of cutting words 0..i-1 into segments; from[i]: where the last of them starts.
        var best = new double[n + 1];
        var from = new int[n + 1];
        Array.Fill(best, double.PositiveInfinity);
        best[0] = 0;
        for (var b = 0; b < n; b++)
        {
            for (var a = b; a >= 0; a--)
            {
                if (a < b && forced[a + 1]) break; // may not span a forced cut (gap a+1 lies inside a..b)
                var length = EndOf(b) - StartOf(a);
                if (length > options.MaxSeconds && a < b) break;
                if (double.IsPositiveInfinity(best[a])) continue;
                var cost = best[a] + 1.0;
                if (length < options.MinSeconds) cost += 100; // only when nothing else is possible
                if (length > options.MaxSeconds) cost += 100; // a single word longer than the limit
                if (b < n - 1 && !forced[b + 1])
                    cost += pause[b + 1] < ShortPauseSeconds ? 0.5 : -0.1 * Math.Min(pause[b + 1], 1.0);
                if (cost < best[b + 1])
                {
                    best[b + 1] = cost;
                    from[b + 1] = a;
                }
            }
        }

        var bounds = new List<(int A, int B)>();
        for (var end = n; end > 0; end = from[end]) bounds.Add((from[end], end - 1));
        bounds.Reverse();
        return bounds.Select((r, i) => Describe(i, r.A, r.B, StartOf(r.A), EndOf(r.B), alignment, options)).ToList();
    }

    private static Segment Describe(int index, int a, int b, double start, double end, RecordingAlignment alignment,
        SegmentationOptions options)
    {
        var words = alignment.Words.Skip(a).Take(b - a + 1).ToList();
        var score = words.Average(w => w.Score);
        var poor = words.Count(w => w.Score < options.PoorWordScore);
        string? excluded = null;
        if (poor > options.MaxPoorWordShare * words.Count)
            excluded = $"{poor} of {words.Count} words fit the audio poorly";
        else if (score < options.MinSegmentScore)
            excluded = $"alignment score {score:F2} below {options.MinSegmentScore:F2}";
        else if (end - start < options.MinSeconds)
            excluded = $"shorter than {options.MinSeconds:0.#} s";
        else if (end - start > options.MaxSeconds)
            excluded = $"longer than {options.MaxSeconds:0.#} s";
        return new Segment(index, Math.Round(start, 3), Math.Round(end, 3), string.Join(' ', words.Select(w => w.Text)),
            a, b, score, poor, excluded);
    }
}
