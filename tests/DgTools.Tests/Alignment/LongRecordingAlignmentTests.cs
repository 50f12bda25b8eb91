using DgTools.Decoding;
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
        var posteriors = new CtcPosteriors(new float[3 * 4], 4, 0.04);
        var words = new[] { new AlignmentWord("aa", [1, 1]) }; // needs a blank between the repeats: 3 frames
        Assert.NotNull(new CtcForcedAligner(new AlignmentOptions()).Align(posteriors, words));
        Assert.Null(new CtcForcedAligner(new AlignmentOptions()).Align(posteriors, [.. words, new AlignmentWord("b", [2])]));
    }
}

public sealed class BandWideningTests
{
    [Fact]
    public void A_dense_transcript_on_an_unsure_model_still_aligns_with_a_narrow_band()
    {
        // Every unit equally likely on every frame (an untrained model): every path scores the same, the best state is
        // the most lagging one, and a narrow band around it would fall behind a transcript that needs 0.8 units per
        // frame. States that can no longer finish in time are dropped, so the band keeps pace.
        const int units = 29, frames = 300;
        var posteriors = new CtcPosteriors(Enumerable.Repeat((float)-Math.Log(units), frames * units).ToArray(), units, 0.04);
        var random = new Random(2);
        var words = Enumerable.Range(0, 40)
            .Select(i => new AlignmentWord($"w{i}", Enumerable.Range(0, 5).Select(j => 2 + (i + j) % 27).ToArray()))
            .ToList();
        var narrow = new AlignmentOptions { SeparatorUnit = 1, MaxActiveStates = 60 };

        var result = new CtcForcedAligner(narrow).Align(posteriors, words);

        Assert.NotNull(result);
        Assert.True(result.Statistics.Commits > 1, $"{result.Statistics}");
        Assert.Equal(40, result.Words.Count);
        Assert.All(result.Words.Zip(result.Words.Skip(1)), p => Assert.True(p.First.EndFrame <= p.Second.StartFrame));
    }
}
