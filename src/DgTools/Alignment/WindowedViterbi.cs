// Viterbi search over a CtcAlignmentGraph whose memory does not grow with the recording's length.
//
// Two things keep it bounded. (1) Only a contiguous band of states is active per frame: the band grows by the
// graph's MaxJump per frame and is trimmed to the states within Beam of the frame's best (by default no beam: a
// path that has yet to squeeze in text the audio lacks scores far below the frame's best and must survive) and to
// MaxActiveStates states around the best state.
// (2) Back-pointers are kept only for frames not yet fixed: every CommitIntervalFrames the survivors of the active
// states within CommitBeam of the best are traced back together; the latest frame where they have merged into one
// state is fixed with the path up to it, and those back-pointers are freed. Were all active states traced, this would
// be exact (the merge lies on every survivor, so on the final best path) but would hardly ever merge: a state far
// ahead in the text is reached only by a path that left the others long ago. Survivors more than CommitBeam below
// the best are therefore ignored; one of them becoming the final path (a large untranscribed or missing stretch
// whose cost is paid later) would make the result slightly suboptimal, not broken. If survivors have not merged
// for MaxPendingFrames, half the pending frames are fixed along the currently best path and the search restarts
// there (ForcedCommits counts this; the result is then a close approximation).
using DgTools.Decoding;
namespace DgTools.Alignment;

/// <summary>What the search did, for benchmarks and tests.</summary>
public sealed record ViterbiStatistics(
    int Frames, int States, long StateUpdates, int PeakActiveStates, int PeakPendingFrames,
    int Commits, int ForcedCommits, bool ExactFallback);

internal sealed class WindowedViterbi
{
    private readonly CtcAlignmentGraph _graph;
    private readonly CtcPosteriors _posteriors;
    private readonly AlignmentOptions _options;
    private readonly double[] _garbage;
    private double[] _previous;
    private double[] _current;
    private readonly List<Row> _rows = [];
    private readonly int[] _path;
    private int _committed = -1;
    private long _stateUpdates;
    private int _peakActive, _peakPending, _commits, _forcedCommits;
    private bool _exactFallback;

    /// <summary>Back-pointers of one frame for states Lo .. Lo + Back.Length - 1 (index into the state's preds).</summary>
    private readonly record struct Row(int Lo, byte[] Back);

    /// <summary>Back-pointer bytes the exact redo of the unfixed frames may use.</summary>
    private const long ExactFallbackBudget = 256L << 20;

    /// <summary>Every state in the band is dead (cannot finish in time): no alignment.</summary>
    private sealed class NoPathException : Exception;

    private WindowedViterbi(CtcAlignmentGraph graph, CtcPosteriors posteriors, AlignmentOptions options)
    {
        _graph = graph;
        _posteriors = posteriors;
        _options = options;
        var penalty = options.GarbagePenalty ?? 0.0;
        _garbage = new double[posteriors.Frames];
        for (var t = 0; t < posteriors.Frames; t++)
        {
            var frame = posteriors.Row(t);
            var bestUnit = double.NegativeInfinity;
            for (var u = 1; u < frame.Length; u++) bestUnit = Math.Max(bestUnit, Floor(frame[u]));
            _garbage[t] = Math.Max(Floor(frame[0]), bestUnit + penalty);
        }
        _previous = new double[graph.StateCount];
        _current = new double[graph.StateCount];
        _path = new int[posteriors.Frames];
    }

    /// <summary>The best state per frame, or null when no path fits (e.g. more units than frames).</summary>
    public static (int[]? Path, ViterbiStatistics Statistics) Run(
        CtcAlignmentGraph graph, CtcPosteriors posteriors, AlignmentOptions options)
    {
        var search = new WindowedViterbi(graph, posteriors, options);
        int[]? path;
        try
        {
            path = search.Search();
        }
        catch (NoPathException)
        {
            path = null;
        }
        return (path, new ViterbiStatistics(posteriors.Frames, graph.StateCount, search._stateUpdates,
            search._peakActive, search._peakPending, search._commits, search._forcedCommits, search._exactFallback));
    }

    private static double Floor(float v) => Math.Max(v, AlignmentOptions.LogPosteriorFloor);

    private double Emission(int t, int s)
    {
        var unit = _graph.Emit[s];
        return unit == CtcAlignmentGraph.Garbage
            ? _garbage[t]
            : Floor(_posteriors.Values[t * _posteriors.Units + unit]);
    }

    private int[]? Search()
    {
        var frames = _posteriors.Frames;
        if (frames == 0) return null;
        var (lo, hi) = StartFrame(_options.Beam, _options.MaxActiveStates);
        var sinceCheck = 0;
        for (var t = 1; t < frames; t++)
        {
            (lo, hi) = Step(t, lo, hi, _options.Beam, _options.MaxActiveStates);
            if (++sinceCheck < _options.CommitIntervalFrames) continue;
            sinceCheck = 0;
            TryCommit(t, lo, hi);
            if (t - _committed <= _options.MaxPendingFrames) continue;
            t = ForceCommit(t, lo, hi);
            (lo, hi) = Restart(_options.Beam, _options.MaxActiveStates);
        }

        var final = BestFinal(lo, hi);
        // (Dropping states that cannot finish in time keeps the finals in the band, so this is a last resort; its
        // back-pointers are unbounded, hence the size limit.)
        if (final < 0 && (long)(frames - 1 - _committed) * _graph.StateCount > ExactFallbackBudget) return null;
        if (final < 0)
        {
            // Pruning lost every path to the end of the transcript (typically: its tail is not in the audio and was
            // never competitive). Redo the unfixed frames exactly.
            _exactFallback = true;
            var from = _committed + 1;
            (lo, hi) = Restart(double.PositiveInfinity, int.MaxValue);
            for (var t = Math.Max(from, 1); t < frames; t++)
                (lo, hi) = Step(t, lo, hi, double.PositiveInfinity, int.MaxValue);
            final = BestFinal(lo, hi);
            if (final < 0) return null;
        }
        Commit(frames - 1, final);
        return _path;
    }

    private (int Lo, int Hi) StartFrame(double beam, int maxActive)
    {
        var hi = Math.Min(_graph.InitialCount, _graph.StateCount) - 1;
        for (var s = 0; s <= hi; s++)
            _current[s] = _graph.FramesToEnd[s] >= _posteriors.Frames ? double.NegativeInfinity : Emission(0, s);
        var range = Prune(0, hi, beam, maxActive);
        _rows.Add(new Row(range.Lo, new byte[range.Hi - range.Lo + 1]));
        (_previous, _current) = (_current, _previous);
        return range;
    }

    /// <summary>Sets the search up again right after the last fixed frame (or at the start).</summary>
    private (int Lo, int Hi) Restart(double beam, int maxActive)
    {
        _rows.Clear();
        if (_committed < 0) return StartFrame(beam, maxActive);
        var anchor = _path[_committed];
        _previous[anchor] = 0.0;
        return (anchor, anchor);
    }

    private (int Lo, int Hi) Step(int t, int previousLo, int previousHi, double beam, int maxActive)
    {
        var lo = previousLo;
        var hi = Math.Min(_graph.StateCount - 1, previousHi + _graph.MaxJump);
        var back = new byte[hi - lo + 1];
        var preds = _graph.Preds;
        var predStart = _graph.PredStart;
        var framesToEnd = _graph.FramesToEnd;
        var frames = _posteriors.Frames;
        for (var s = lo; s <= hi; s++)
        {
            var best = double.NegativeInfinity;
            var arg = 0;
            for (var i = predStart[s]; i < predStart[s + 1]; i++)
            {
                var p = preds[i];
                if (p < previousLo || p > previousHi) continue;
                var v = _previous[p];
                if (v > best)
                {
                    best = v;
                    arg = i - predStart[s];
                }
            }
            // A state from which the rest of the transcript no longer fits into the remaining frames is dead.
            _current[s] = double.IsNegativeInfinity(best) || t + framesToEnd[s] >= frames ? double.NegativeInfinity : best + Emission(t, s);
            back[s - lo] = (byte)arg;
        }
        _stateUpdates += hi - lo + 1;
        var range = Prune(lo, hi, beam, maxActive);
        _rows.Add(new Row(range.Lo, back.AsSpan(range.Lo - lo, range.Hi - range.Lo + 1).ToArray()));
        _peakPending = Math.Max(_peakPending, _rows.Count);
        (_previous, _current) = (_current, _previous);
        return range;
    }

    /// <summary>Narrows [lo, hi] of _current to the states within the beam, at most maxActive around the best.</summary>
    private (int Lo, int Hi) Prune(int lo, int hi, double beam, int maxActive)
    {
        var bestState = lo;
        for (var s = lo; s <= hi; s++)
            if (_current[s] > _current[bestState]) bestState = s;
        var threshold = _current[bestState] - beam;
        if (double.IsNegativeInfinity(_current[bestState]))
            throw new NoPathException();
        var newLo = lo;
        while (!(_current[newLo] >= threshold)) newLo++;
        var newHi = hi;
        while (!(_current[newHi] >= threshold)) newHi--;
        if (newHi - newLo + 1 > maxActive)
        {
            newLo = Math.Max(newLo, bestState - maxActive / 2);
            newHi = Math.Min(newHi, newLo + maxActive - 1);
        }
        _peakActive = Math.Max(_peakActive, newHi - newLo + 1);
        return (newLo, newHi);
    }

    private int BestFinal(int lo, int hi)
    {
        var best = -1;
        foreach (var s in _graph.Finals)
            if (s >= lo && s <= hi && !double.IsNegativeInfinity(_previous[s]) && (best < 0 || _previous[s] > _previous[best]))
                best = s;
        return best;
    }

    private Row RowOf(int frame) => _rows[frame - _committed - 1];

    private int PredecessorOf(int frame, int state)
    {
        var row = RowOf(frame);
        return _graph.Preds[_graph.PredStart[state] + row.Back[state - row.Lo]];
    }

    /// <summary>Traces all active states back together; fixes the path up to the latest frame where they merged.</summary>
    private void TryCommit(int t, int lo, int hi)
    {
        var best = double.NegativeInfinity;
        for (var s = lo; s <= hi; s++) best = Math.Max(best, _previous[s]);
        var members = new List<int>();
        for (var s = lo; s <= hi; s++)
            if (_previous[s] >= best - _options.CommitBeam) members.Add(s);
        var seen = new HashSet<int>();
        for (var frame = t; frame > _committed; frame--)
        {
            if (members.Count == 1)
            {
                Commit(frame, members[0]);
                return;
            }
            if (frame == _committed + 1) return;
            seen.Clear();
            var earlier = new List<int>(members.Count);
            foreach (var s in members)
            {
                var p = PredecessorOf(frame, s);
                if (seen.Add(p)) earlier.Add(p);
            }
            members = earlier;
        }
    }

    /// <summary>Fixes the path from the given (frame, state) back to the last fixed frame and frees those rows.</summary>
    private void Commit(int frame, int state)
    {
        _path[frame] = state;
        for (var f = frame; f > _committed + 1; f--)
            _path[f - 1] = PredecessorOf(f, _path[f]);
        _rows.RemoveRange(0, frame - _committed);
        _committed = frame;
        _commits++;
    }

    /// <summary>Fixes half the pending frames along the best current path; returns the new last fixed frame.</summary>
    private int ForceCommit(int t, int lo, int hi)
    {
        var state = lo;
        for (var s = lo; s <= hi; s++)
            if (_previous[s] > _previous[state]) state = s;
        var target = _committed + (t - _committed) / 2;
        for (var f = t; f > target; f--) state = PredecessorOf(f, state);
        Commit(target, state);
        _forcedCommits++;
        return target;
    }
}
