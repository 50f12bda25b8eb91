using DgTools.Preparation;
namespace DgTools.Quality;

/// <summary>Thresholds of the data-quality checks (dgtools check, and the summary autotrain prints).</summary>
public sealed record QualityCheckOptions
{
    /// <summary>Segmentation, and which words count as poorly aligned (PoorWordScore).</summary>
    public SegmentationOptions Segmentation { get; init; } = new();

    /// <summary>A transcript "does not match its audio" when more than this share of its words fit poorly...</summary>
    public double MismatchPoorWordShare { get; init; } = 0.5;

    /// <summary>...a word of a short recording (long ones use Segmentation.PoorWordScore) fitting poorly when its alignment score (mean log-posterior of its units) is below this.
    /// -5.5: on 120 real FSDD recordings (dev speakers), -3.0 (the segmentation's PoorWordScore) flagged 47 % of the
    /// correct transcripts; -5.5 flagged 5 % and still 36 % of the wrong ones (bench/reliability/check-mismatch.py).</summary>
    public double MismatchWordScore { get; init; } = -5.5;

    /// <summary>Wrong language or script: more than this share of the transcript's letters cannot be spelled.</summary>
    public double MaxDroppedCharacterShare { get; init; } = 0.2;

    /// <summary>Clipping: more than this share of samples sit at full scale in runs of 3 or more.</summary>
    public double ClippedSampleShare { get; init; } = 0.001;

    /// <summary>Silence only: no 25 ms frame is louder than this (dB relative to full scale).</summary>
    public double SilenceDbfs { get; init; } = -45.0;

    /// <summary>Untranscribed audio shorter than this is not listed as suspicious.</summary>
    public double MinUntranscribedSeconds { get; init; } = 0.5;
}
