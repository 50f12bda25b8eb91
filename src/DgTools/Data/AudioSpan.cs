namespace DgTools.Data;

/// <summary>Seconds [Start, End) of an audio file: a training segment of a long recording. <paramref name="AudioHash"/>
/// identifies the file's content (the alignment store's hash), so the segment's cached features are found without
/// reading or hashing the whole recording again.</summary>
public sealed record AudioSpan(double Start, double End, string AudioHash)
{
    public double Duration => End - Start;

    /// <summary>"&lt;recording id&gt;#&lt;start&gt;-&lt;end&gt;" (seconds, 3 decimals): the segment's id in runs and reports.</summary>
    public string IdWithin(string recordingId) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{recordingId}#{Start:F3}-{End:F3}");
}
