namespace DgTools.Preparation;

/// <summary>How long recordings become training samples, and which aligned words count as suspicious.</summary>
public sealed record SegmentationOptions
{
    /// <summary>Recordings longer than this are cut; shorter ones are used whole.</summary>
    public double LongerThanSeconds { get; init; } = 20.0;

    public double MinSeconds { get; init; } = 2.0;
    public double MaxSeconds { get; init; } = 20.0;

    /// <summary>Audio kept before a segment's first and after its last word (never more than half the pause).</summary>
    public double PaddingSeconds { get; init; } = 0.3;

    /// <summary>Untranscribed audio longer than this between two words forces a cut there (it is left out).</summary>
    public double MaxUntranscribedSeconds { get; init; } = 0.5;

    /// <summary>A word whose alignment score (mean log-posterior of its units) is below this is "poor".</summary>
    public double PoorWordScore { get; init; } = -3.0;

    /// <summary>A segment is excluded from training when more than this share of its words are poor...</summary>
    public double MaxPoorWordShare { get; init; } = 0.1;

    /// <summary>...or when the mean score of its words is below this.</summary>
    public double MinSegmentScore { get; init; } = -1.0;
}
