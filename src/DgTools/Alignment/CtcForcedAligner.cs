// Forces a transcript onto a recording: which output frames belong to which word, and how well each word fits.
using DgTools.Decoding;
namespace DgTools.Alignment;

/// <summary>A transcript word and the model units it is spelled with (no blank).</summary>
public sealed record AlignmentWord(string Text, int[] Units);

/// <param name="StartFrame">First output frame of the word's units (inclusive).</param>
/// <param name="EndFrame">Last frame + 1 (exclusive).</param>
/// <param name="Score">
/// Mean natural-log posterior of the word's units over the frames where the path emits them (blanks inside the word
/// are left out: they are easy and would dilute a misfit). 0 is a perfect fit; a word the audio does not contain
/// typically scores below -3.
/// </param>
public sealed record AlignedWord(int Index, string Text, int StartFrame, int EndFrame, double Start, double End, double Score);

/// <summary>Frames [StartFrame, EndFrame) before word <paramref name="Gap"/> that the garbage state absorbed:
/// audio the transcript has no words for.</summary>
public sealed record GarbageStretch(int Gap, int StartFrame, int EndFrame, double Start, double End);

public sealed record ForcedAlignment(
    IReadOnlyList<AlignedWord> Words,
    IReadOnlyList<GarbageStretch> Garbage,
    int[] StatePath,
    double FrameSeconds,
    ViterbiStatistics Statistics)
{
    public int Frames => StatePath.Length;
}

public sealed class CtcForcedAligner(AlignmentOptions options)
{
    public AlignmentOptions Options { get; } = options;

    /// <summary>Aligns the words; null when they cannot fit (more units than frames).</summary>
    public ForcedAlignment? Align(CtcPosteriors posteriors, IReadOnlyList<AlignmentWord> words)
    {
        var units = words.Select(w => w.Units).ToList();
        if (CtcAlignmentGraph.MinimumFrames(units, Options.SeparatorUnit) > posteriors.Frames) return null;
        var graph = CtcAlignmentGraph.Build(units, Options.GarbagePenalty is not null, Options.SeparatorUnit);
        var (path, statistics) = WindowedViterbi.Run(graph, posteriors, Options);
        return path is null ? null : Describe(graph, path, posteriors, words, statistics);
    }

    private static ForcedAlignment Describe(CtcAlignmentGraph graph, int[] path, CtcPosteriors posteriors,
        IReadOnlyList<AlignmentWord> words, ViterbiStatistics statistics)
    {
        var first = new int[words.Count];
        var last = new int[words.Count];
        var sum = new double[words.Count];
        var unitFrames = new int[words.Count];
        Array.Fill(first, -1);
        var garbage = new List<GarbageStretch>();
        var fs = posteriors.FrameSeconds;
        var garbageStart = -1;
        for (var t = 0; t < path.Length; t++)
        {
            var s = path[t];
            var isGarbage = graph.Emit[s] == CtcAlignmentGraph.Garbage;
            if (isGarbage && garbageStart < 0) garbageStart = t;
            if (!isGarbage && garbageStart >= 0)
            {
                garbage.Add(new GarbageStretch(graph.GapOf[path[garbageStart]], garbageStart, t, garbageStart * fs, t * fs));
                garbageStart = -1;
            }
            var w = graph.WordOf[s];
            if (w < 0) continue;
            if (first[w] < 0) first[w] = t;
            last[w] = t;
            if (graph.Emit[s] == 0) continue;
            sum[w] += Math.Max(posteriors[t, graph.Emit[s]], AlignmentOptions.LogPosteriorFloor);
            unitFrames[w]++;
        }
        if (garbageStart >= 0)
            garbage.Add(new GarbageStretch(graph.GapOf[path[garbageStart]], garbageStart, path.Length,
                garbageStart * fs, path.Length * fs));

        var aligned = new AlignedWord[words.Count];
        for (var w = 0; w < words.Count; w++)
        {
            aligned[w] = new AlignedWord(w, words[w].Text, first[w], last[w] + 1, first[w] * fs, (last[w] + 1) * fs,
                sum[w] / unitFrames[w]);
        }
        return new ForcedAlignment(aligned, garbage, path, fs, statistics);
    }
}
