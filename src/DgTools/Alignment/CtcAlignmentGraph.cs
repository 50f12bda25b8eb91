// The CTC topology a transcript is aligned against, as a left-to-right state graph. The Python reference
// (bench/alignment/reference_align.py) builds the same graph independently from this description, so keep the two in
// step:
//
//   for gap k = 0..N (gap k lies before word k; gap N after the last word):
//     B_k   blank                                    preds: self, T_{k-1,last}
//     G_k   garbage (only when garbage is enabled)   preds: self, B_k, T_{k-1,last}
//     with a separator unit (the alphabet's space), in the gaps between words (0 < k < N) only:
//       S_k   separator                              preds: self, B_k, G_k, T_{k-1,last}
//       A_k   blank                                  preds: self, S_k
//     if k < N, word k with units u_0..u_{m-1}:
//       T_{k,0}  unit u_0    preds: self, then A_k, S_k if the gap has a separator, else B_k, G_k,
//                            T_{k-1,last} (the last only when its unit differs from u_0)
//       b_{k,j}  blank       preds: self, T_{k,j}                      (j = 0..m-2, between units of one word)
//       T_{k,j}  unit u_j    preds: self, b_{k,j-1}, T_{k,j-1} (the last only when u_{j-1} != u_j)
//
// A path may start in B_0, G_0 or T_{0,0} and must end in B_N, G_N or T_{N-1,last}. The garbage state G_k absorbs
// audio the transcript does not contain; it emits either the blank (at the blank's log-posterior) or any other unit
// at that unit's log-posterior plus a (negative) penalty: max(lp[blank], max_u≥1 lp[u] + penalty). Untranscribed
// speech thus costs the penalty per model spike, and garbage only wins where no transcript unit explains the spikes. Text the audio lacks costs its
// units one frame each at whatever (poor) log-posterior they get there, which the per-word score exposes.
namespace DgTools.Alignment;

public sealed class CtcAlignmentGraph
{
    /// <summary>Emission id of a garbage state: max(lp[blank], max over other units of lp + penalty).</summary>
    public const int Garbage = -1;

    private CtcAlignmentGraph(int[] emit, int[] predStart, int[] preds, int[] wordOf, int[] gapOf,
        int initialCount, int[] finals, int maxJump)
    {
        Emit = emit;
        PredStart = predStart;
        Preds = preds;
        WordOf = wordOf;
        GapOf = gapOf;
        InitialCount = initialCount;
        Finals = finals;
        MaxJump = maxJump;
    }

    /// <summary>Unit id each state emits (0 = blank), or <see cref="Garbage"/>.</summary>
    public int[] Emit { get; }

    /// <summary>Predecessors of state s are Preds[PredStart[s] .. PredStart[s+1]), self first; all are ≤ s.</summary>
    public int[] PredStart { get; }

    public int[] Preds { get; }

    /// <summary>Word index of a unit or in-word blank state, else -1.</summary>
    public int[] WordOf { get; }

    /// <summary>Gap index of a gap blank or garbage state, else -1.</summary>
    public int[] GapOf { get; }

    /// <summary>States 0 .. InitialCount-1 are the states a path may start in.</summary>
    public int InitialCount { get; }

    public int[] Finals { get; }

    /// <summary>The largest s - pred over all arcs: how far a path can advance in one frame.</summary>
    public int MaxJump { get; }

    public int StateCount => Emit.Length;

    /// <summary>The fewest frames a path in state s needs after the current one to reach a final state.</summary>
    public int[] FramesToEnd { get; private init; } = [];

    public int WordCount { get; private init; }

    public bool HasGarbage { get; private init; }

    /// <summary>Builds the graph for words given as unit ids (1..U-1, never blank). Every word needs ≥ 1 unit.
    /// <paramref name="separator"/> is the unit the model emits between words (the alphabet's space), if any.</summary>
    public static CtcAlignmentGraph Build(IReadOnlyList<int[]> words, bool garbage, int? separator = null)
    {
        var emit = new List<int>();
        var wordOf = new List<int>();
        var gapOf = new List<int>();
        var predStart = new List<int> { 0 };
        var preds = new List<int>();

        int Add(int unit, int word, int gap, params int[] from)
        {
            var s = emit.Count;
            emit.Add(unit);
            wordOf.Add(word);
            gapOf.Add(gap);
            preds.Add(s);
            foreach (var p in from)
                if (p >= 0) preds.Add(p);
            predStart.Add(preds.Count);
            return s;
        }

        var lastOfPrevious = -1; // T_{k-1,last}
        var previousUnit = -1;
        int initialCount = 0;
        var finals = new List<int>();
        for (var k = 0; k <= words.Count; k++)
        {
            var blank = Add(0, -1, k, lastOfPrevious);
            var garbageState = garbage ? Add(Garbage, -1, k, blank, lastOfPrevious) : -1;
            if (k == words.Count)
            {
                finals.Add(blank);
                if (garbage) finals.Add(garbageState);
                if (lastOfPrevious >= 0) finals.Add(lastOfPrevious);
                break;
            }

            var units = words[k];
            if (units.Length == 0) throw new ArgumentException($"word {k} has no units", nameof(words));
            if (units.Any(u => u <= 0 || u == separator))
                throw new ArgumentException($"word {k} contains the blank, the separator or a negative unit", nameof(words));
            int first;
            if (separator is { } sep && k > 0)
            {
                var space = Add(sep, -1, k, blank, garbageState, lastOfPrevious);
                var after = Add(0, -1, k, space);
                first = Add(units[0], k, -1, after, space);
            }
            else first = Add(units[0], k, -1, blank, garbageState, previousUnit != units[0] ? lastOfPrevious : -1);
            if (k == 0) initialCount = first + 1;
            var previous = first;
            for (var j = 1; j < units.Length; j++)
            {
                var inner = Add(0, k, -1, previous);
                previous = Add(units[j], k, -1, inner, units[j - 1] != units[j] ? previous : -1);
            }
            lastOfPrevious = previous;
            previousUnit = units[^1];
        }
        if (words.Count == 0) initialCount = emit.Count;

        var predArray = preds.ToArray();
        var startArray = predStart.ToArray();
        var maxJump = 0;
        for (var s = 0; s < emit.Count; s++)
            for (var i = startArray[s]; i < startArray[s + 1]; i++)
                maxJump = Math.Max(maxJump, s - predArray[i]);

        // Frames still needed after the current one to reach a final state (shortest path backwards over the DAG).
        var need = new int[emit.Count];
        Array.Fill(need, int.MaxValue / 2);
        foreach (var f in finals) need[f] = 0;
        for (var s = emit.Count - 1; s >= 0; s--)
            for (var i = startArray[s] + 1; i < startArray[s + 1]; i++)
                need[predArray[i]] = Math.Min(need[predArray[i]], need[s] + 1);

        return new CtcAlignmentGraph(emit.ToArray(), startArray, predArray, wordOf.ToArray(), gapOf.ToArray(),
            initialCount, finals.ToArray(), maxJump)
        {
            FramesToEnd = need,
            WordCount = words.Count,
            HasGarbage = garbage,
        };
    }

    /// <summary>The fewest frames any path needs: one per unit (and separator), plus one between equal neighbours.</summary>
    public static int MinimumFrames(IReadOnlyList<int[]> words, int? separator = null)
    {
        var frames = separator is null ? 0 : Math.Max(0, words.Count - 1);
        var previous = -1;
        foreach (var units in words)
        {
            if (separator is not null) previous = -1;
            foreach (var u in units)
            {
                frames += u == previous ? 2 : 1;
                previous = u;
            }
        }
        return frames;
    }
}
