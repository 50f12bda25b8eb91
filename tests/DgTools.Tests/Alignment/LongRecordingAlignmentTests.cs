using DgTools.Alignment;
using Xunit;

namespace DgTools.Tests.Alignment;

public sealed class LongRecordingAlignmentTests
{
    [Fact]
    public void Word_boundaries_of_concatenated_utterances_are_found_within_a_tenth_of_a_second()
    {
        var random = new Random(11);
        var utterances = Enumerable.Range(0, 70)
            .Select(_ => (IReadOnlyList<string?>)SyntheticRecording.RandomSentence(random, 4 + random.Next(12)))
            .ToList();
        var recording = SyntheticRecording.Build(random, utterances);
        Assert.True(recording.Posteriors.DurationSeconds > 240, $"only {recording.Posteriors.DurationSeconds:F0} s");

        var words = recording.Words.Select(w => new AlignmentWord(w.Text, SyntheticRecording.Spell(w.Text))).ToList();
        var result = new CtcForcedAligner(new AlignmentOptions()).Align(recording.Posteriors, words);

        Assert.NotNull(result);
        var within = recording.Words.Zip(result.Words)
            .Count(p => Math.Abs(p.First.Start - p.Second.Start) <= 0.1 + 1e-9 && Math.Abs(p.First.End - p.Second.End) <= 0.1 + 1e-9);
        var share = within / (double)words.Count;
        Assert.True(share >= 0.95, $"{within} of {words.Count} words ({share:P1}) within ±0.1 s");
        // The search really ran in windows: many commits, back-pointers for a bounded number of frames.
        Assert.True(result.Statistics.Commits > 10, $"{result.Statistics.Commits} commits");
        Assert.True(result.Statistics.PeakPendingFrames < 1500, $"{result.Statistics.PeakPendingFrames} pending frames");
        Assert.Equal(0, result.Statistics.ForcedCommits);
    }

    [Fact]
    public void Windowed_search_equals_the_unbounded_search_on_a_long_recording()
    {
        var random = new Random(5);
        var utterances = Enumerable.Range(0, 25)
            .Select(i => i % 7 == 3
                ? (IReadOnlyList<string?>)[null, .. SyntheticRecording.RandomSentence(random, 6)]
                : SyntheticRecording.RandomSentence(random, 3 + random.Next(10)))
            .ToList();
        var recording = SyntheticRecording.Build(random, utterances);
        var words = recording.Words.Select(w => new AlignmentWord(w.Text, SyntheticRecording.Spell(w.Text))).ToList();

        var windowed = new CtcForcedAligner(new AlignmentOptions { CommitIntervalFrames = 50 }).Align(recording.Posteriors, words)!;
        var unbounded = new CtcForcedAligner(new AlignmentOptions
        {
            MaxActiveStates = int.MaxValue, CommitIntervalFrames = int.MaxValue, MaxPendingFrames = int.MaxValue,
        }).Align(recording.Posteriors, words)!;

        Assert.Equal(unbounded.StatePath, windowed.StatePath);
        Assert.True(windowed.Statistics.Commits > 5, $"{windowed.Statistics}");
        Assert.Equal(1, unbounded.Statistics.Commits);
        Assert.NotEmpty(windowed.Garbage);
    }

    [Fact]
    public void A_transcript_longer_than_the_audio_can_hold_is_not_aligned()
    {
        var posteriors = new LogPosteriors(new float[3 * 4], 4, 0.04);
        var words = new[] { new AlignmentWord("aa", [1, 1]) }; // needs a blank between the repeats: 3 frames
        Assert.NotNull(new CtcForcedAligner(new AlignmentOptions()).Align(posteriors, words));
        Assert.Null(new CtcForcedAligner(new AlignmentOptions()).Align(posteriors, [.. words, new AlignmentWord("b", [2])]));
    }
}
