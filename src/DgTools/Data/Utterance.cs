namespace DgTools.Data;

/// <summary>One usable audio/transcript pair found by <see cref="DatasetDiscovery"/>.</summary>
/// <param name="SourceId">"&lt;set&gt;/&lt;stem&gt;" (stem relative to the set directory, '/'-separated): the key of the
/// persistent split and of keep lists.</param>
/// <param name="Dataset">The data set's name (its directory name).</param>
/// <param name="RawText">The transcript as written (lines joined by spaces).</param>
/// <param name="Text">The normalised transcript, ready for <see cref="Text.Alphabet.Encode"/>.</param>
/// <param name="DurationSeconds">From the header or a probe decode; null when unknown.</param>
public sealed record Utterance(
    string SourceId, string Dataset, string AudioPath, string TranscriptPath, string RawText, string Text,
    double? DurationSeconds)
{
    /// <summary>The file name without directory or extension (what keep lists usually name).</summary>
    public string Stem => SourceId[(SourceId.LastIndexOf('/') + 1)..];
}

/// <summary>A data set directory taking part in a run.</summary>
public sealed record DatasetLocation(string Name, string Directory);
