using DgTools.Preparation;
namespace DgTools.Quality;

/// <summary>Thresholds of the data-quality checks (dgtools check, and the summary autotrain prints).</summary>
public sealed record QualityCheckOptions
{
    /// <summary>Segmentation, and which words count as poorly aligned (PoorWordScore).</summary>
    public SegmentationOptions Segmentation { get; init; } = new();

    /// <summary>A transcript "does not match its audio" when more than this share of its words fit poorly.</summary>
    public double MismatchPoorWordShare { get; init; } = 0.5;

    /// <summary>Wrong language or script: more than this share of the transcript's letters cannot be spelled.</summary>
    public double MaxDroppedCharacterShare { get; init; } = 0.2;

    /// <summary>Clipping: more than this share of samples sit at full scale in runs of 3 or more.</summary>
    public double ClippedSampleShare { get; init; } = 0.001;

    /// <summary>Silence only: no 25 ms frame is louder than this (dB relative to full scale).</summary>
    public double SilenceDbfs { get; init; } = -45.0;

    /// <summary>Untranscribed audio shorter than this is not listed as suspicious.</summary>
    public double MinUntranscribedSeconds { get; init; } = 0.5;
}
