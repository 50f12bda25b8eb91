namespace DgTools.Alignment;

/// <summary>How a transcript is forced onto a recording's log-posteriors.</summary>
public sealed record AlignmentOptions
{
    /// <summary>
    /// Penalty (natural log, ≤ 0) per non-blank frame the garbage state between words emits; the garbage state absorbs
    /// audio the transcript lacks. null aligns with the plain CTC topology. At -4 an untranscribed model spike costs
    /// as much as a transcript unit the model finds e⁴ ≈ 55 times less likely than its favourite.
    /// </summary>
    public double? GarbagePenalty { get; init; } = -4.0;

    /// <summary>The unit the model emits between words (Alphabet.SpaceIndex for dgtools models); null if none.</summary>
    public int? SeparatorUnit { get; init; }

    /// <summary>States scoring more than this (nats) below the frame's best are pruned. Off by default: a path that
    /// still has to fit in text the audio lacks scores far below the best for a while and must not be lost.</summary>
    public double Beam { get; init; } = double.PositiveInfinity;

    /// <summary>The states kept per frame: at most this many around the best state (≈ half ahead, half behind). A
    /// transcript/audio mismatch longer than about half of it (in CTC states, ~2 per character) is no longer aligned
    /// exactly. Bounds time (frames × this) and memory.</summary>
    public int MaxActiveStates { get; init; } = 2000;

    /// <summary>Every this many frames the search looks for the frame where all surviving paths merge and fixes the
    /// path up to there, freeing its back-pointers.</summary>
    public int CommitIntervalFrames { get; init; } = 250;

    /// <summary>Only survivors within this many nats of the frame's best take part in the merge test (see
    /// WindowedViterbi). ∞ makes the search exact but lets it commit only when the band no longer holds far-ahead states.</summary>
    public double CommitBeam { get; init; } = 300.0;

    /// <summary>If paths have not merged for this many frames, half of them are fixed along the currently best path
    /// and the search restarts from there (counted as a forced commit; exactness is no longer guaranteed).</summary>
    public int MaxPendingFrames { get; init; } = 4000;

    /// <summary>Log-posteriors are floored here so that a -∞ from the model cannot make every path impossible.</summary>
    public const double LogPosteriorFloor = -100.0;

    /// <summary>A stable text for cache keys: alignments made with other options are not reused.</summary>
    public string Fingerprint =>
        FormattableString.Invariant($"separator={SeparatorUnit?.ToString() ?? "none"};garbage={GarbagePenalty?.ToString("R") ?? "off"};beam={Beam:R};active={MaxActiveStates};commit={CommitIntervalFrames}/{CommitBeam:R};pending={MaxPendingFrames}");
}
