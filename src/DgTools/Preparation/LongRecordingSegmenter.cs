// The entry point autotrain uses: a recording longer than the limit is aligned (or its stored alignment reused) and
// cut into training segments; a shorter one passes through whole without touching the model.
using DgTools.Alignment;
using DgTools.Audio;
using DgTools.Data;

namespace DgTools.Preparation;

/// <param name="Alignment">Null when the recording was short enough to be used whole.</param>
/// <param name="Segments">Training samples (Usable) and the excluded ones, in order.</param>
public sealed record SegmentedRecording(LongRecording Recording, RecordingAlignment? Alignment, IReadOnlyList<Segment> Segments)
{
    public IEnumerable<Segment> Usable => Segments.Where(s => s.Usable);
    public IEnumerable<Segment> Excluded => Segments.Where(s => !s.Usable);
}

public sealed class LongRecordingSegmenter(RecordingAligner aligner, SegmentationOptions options)
{
    public SegmentationOptions Options { get; } = options;

    public RecordingAligner Aligner { get; } = aligner;

    /// <summary>A discovered pair (DiscoveryResult.LongRecordings or Utterances) with its run's data sets.</summary>
    public SegmentedRecording Segment(Utterance utterance, IReadOnlyList<DatasetLocation> datasets) =>
        Segment(LongRecording.From(utterance, datasets),
            utterance.DurationSeconds ?? AudioDecoder.Decode(utterance.AudioPath).DurationSeconds, utterance.Text);

    /// <param name="durationSeconds">The recording's length (AudioDecoder.ProbeDuration, or decoded samples / rate).</param>
    /// <param name="normalizedTranscript">The transcript as trained on, for a recording used whole.</param>
    public SegmentedRecording Segment(LongRecording recording, double durationSeconds, string normalizedTranscript)
    {
        if (durationSeconds <= Options.LongerThanSeconds)
            return new SegmentedRecording(recording, null,
                [new Segment(0, 0, durationSeconds, normalizedTranscript, 0, -1, 0, 0, null)]);
        var alignment = Aligner.AlignOrReuse(recording);
        var segments = alignment.Aligned
            ? RecordingSegmenter.Cut(alignment, Options)
            : [new Segment(0, 0, durationSeconds, normalizedTranscript, 0, -1, double.NegativeInfinity, 0,
                "the transcript does not fit the audio (more letters than the model has frames)")];
        return new SegmentedRecording(recording, alignment, segments);
    }
}
