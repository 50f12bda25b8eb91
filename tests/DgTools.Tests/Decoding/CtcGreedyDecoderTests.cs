using DgTools.Decoding;
using Xunit;

namespace DgTools.Tests.Decoding;

public class CtcGreedyDecoderTests
{
    private static readonly CtcGreedyDecoder Greedy = new(SyntheticPosteriors.English);

    [Fact]
    public void Merges_repeats_drops_blanks_and_splits_words_at_the_separator()
    {
        // "hello world" where the l-l needs a blank between them and the o is held for three frames.
        var p = new SyntheticPosteriors().Blank(frames: 2).Say("he").Frame(("l", 0.9)).Frame(("l", 0.9)).Blank()
            .Say("l").Frame(("o", 0.9)).Frame(("o", 0.9)).Frame(("o", 0.9)).Say(" world").Blank(frames: 3).Build();

        var transcript = Greedy.Decode(p);

        Assert.Equal("hello world", transcript.Text);
        Assert.Equal(["hello", "world"], transcript.Words.Select(w => w.Word));
        var hello = transcript.Words[0];
        Assert.Equal(2 * 0.04, hello.Start, 6);   // 'h' is frame 2
        Assert.Equal(14 * 0.04, hello.End, 6);    // last 'o' is frame 13
        Assert.Equal(p.DurationSeconds, transcript.Duration, 6);
        Assert.InRange(hello.Confidence, 0.89, 0.96);
    }

    [Fact]
    public void Silence_gives_an_empty_transcript_with_zero_confidence()
    {
        var transcript = Greedy.Decode(new SyntheticPosteriors().Blank(frames: 20).Build());
        Assert.Equal("", transcript.Text);
        Assert.Empty(transcript.Words);
        Assert.Equal(0, transcript.Confidence);
    }

    [Fact]
    public void Leading_trailing_and_double_separators_make_no_empty_words()
    {
        var transcript = Greedy.Decode(new SyntheticPosteriors().Say("  a  b ").Build());
        Assert.Equal("a b", transcript.Text);
    }

    [Fact]
    public void Rejects_posteriors_of_another_unit_set()
    {
        var other = CtcPosteriors.FromProbabilities([[0.5f, 0.25f, 0.25f]], 0.04);
        Assert.Throws<ArgumentException>(() => Greedy.Decode(other));
    }
}
