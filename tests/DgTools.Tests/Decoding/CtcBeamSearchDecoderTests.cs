using DgTools.Decoding;
using DgTools.Language;
using Xunit;

namespace DgTools.Tests.Decoding;

public class CtcBeamSearchDecoderTests
{
    private static readonly string[] Corpus =
    [
        .. Enumerable.Repeat("the cat sat on the mat", 5), .. Enumerable.Repeat("please call the office", 5),
        "cut the bread", "a cut on the hand", "the office is closed", "call the cat", "the mat is red", "sat down",
        "on the hand", "cut it out", "the bread is on the mat",
    ];

    private static readonly WordLanguageModel Lm = new(Lexicon.FromTranscripts(Corpus));
    private static readonly CtcUnits Units = SyntheticPosteriors.English;

    private static CtcDecoder Beam(DecodingOptions? options = null) => new(Units, Lm, options ?? DecodingOptions.Default);
    private static CtcDecoder GreedyDecoder() => new(Units, Lm, new DecodingOptions { Greedy = true });

    [Fact]
    public void The_language_model_fixes_an_acoustic_confusion_between_two_known_words()
    {
        // "the cat sat" where the acoustic model hears "cut" a little more than "cat".
        var p = new SyntheticPosteriors().Say("the c").Confuse("u", 0.5, "a", 0.4).Say("t sat").Build();

        Assert.Equal("the cut sat", GreedyDecoder().Decode(p).Text);
        Assert.Equal("the cat sat", Beam().Decode(p).Text);
        Assert.Equal("the cut sat", Beam(DecodingOptions.Default with { LmWeight = 0 }).Decode(p).Text);
    }

    [Fact]
    public void A_misspelling_that_leaves_the_vocabulary_loses_to_the_known_word()
    {
        var p = new SyntheticPosteriors().Say("please c").Confuse("o", 0.55, "a", 0.4).Say("ll the office").Build();

        Assert.Equal("please coll the office", GreedyDecoder().Decode(p).Text);
        Assert.Equal("please call the office", Beam().Decode(p).Text);
    }

    [Fact]
    public void An_unknown_word_is_spelled_when_clearly_heard_and_pays_the_documented_penalty()
    {
        var clear = new SyntheticPosteriors().Say("call zorblax", peak: 0.97).Build();
        Assert.Equal("call zorblax", Beam().Decode(clear).Text);

        // The penalty is paid once, when the spelling leaves the vocabulary ("z" already does): with a penalty larger
        // than the acoustic evidence, the unknown word is no longer written.
        var forbidding = Beam(DecodingOptions.Default with { UnknownWordPenalty = -200 }).Decode(clear).Text;
        Assert.DoesNotContain("zorblax", forbidding);

        // Against a known spelling (language model off, so only the penalties and the acoustics count), the unknown
        // one wins only when its acoustic margin beats its penalties: ln(0.55/0.40) ≈ 0.3 does not beat a word
        // penalty of 6; ln(0.97/0.0004) ≈ 7.8 does, but not a word penalty of 9, nor 6 plus 1.5 for each of the two
        // units ("s", "e") "offise" spells outside the vocabulary.
        var wordPenaltyOnly = DecodingOptions.Default with { LmWeight = 0, UnknownWordPenalty = -6, UnknownUnitPenalty = 0 };
        var weak = new SyntheticPosteriors().Say("the offi").Confuse("s", 0.55, "c", 0.40).Say("e").Build();
        Assert.Equal("the offise", GreedyDecoder().Decode(weak).Text);
        Assert.Equal("the office", Beam(wordPenaltyOnly).Decode(weak).Text);
        var strong = new SyntheticPosteriors().Say("the offi").Confuse("s", 0.97, "c", 0.0004).Say("e").Build();
        Assert.Equal("the offise", Beam(wordPenaltyOnly).Decode(strong).Text);
        Assert.Equal("the office", Beam(wordPenaltyOnly with { UnknownWordPenalty = -9 }).Decode(strong).Text);
        Assert.Equal("the office", Beam(wordPenaltyOnly with { UnknownUnitPenalty = -1.5 }).Decode(strong).Text);
        Assert.Equal("the offise", Beam(wordPenaltyOnly with { UnknownUnitPenalty = -0.5 }).Decode(strong).Text);
    }

    [Fact]
    public void A_known_word_the_network_runs_into_the_next_one_still_ends_there()
    {
        // No space frame between "cat" and "sat", nor between "the" and "office" (and too little space anywhere for the
        // search to put one in): each is a vocabulary word followed by the start of another, so the search ends the
        // word there (at the implicit-boundary penalty).
        var p = new SyntheticPosteriors().Say("call the catsat on theoffice", peak: 0.995).Build();
        Assert.Equal("call the catsat on theoffice", GreedyDecoder().Decode(p).Text);
        Assert.Equal("call the cat sat on the office", Beam().Decode(p).Text);
        var off = DecodingOptions.Default with { ImplicitBoundaryPenalty = double.NegativeInfinity };
        Assert.Equal("call the catsat on theoffice", Beam(off).Decode(p).Text);
        // A word that is not a vocabulary word ("zorb") is never split off: only known words end without a space.
        var unknown = new SyntheticPosteriors().Say("call zorbsat", peak: 0.995).Build();
        Assert.Equal("call zorbsat", Beam().Decode(unknown).Text);
    }

    [Fact]
    public void A_word_that_stops_part_way_through_a_vocabulary_word_is_unknown_too()
    {
        // "offi" never leaves the spellings of the vocabulary ("office" goes on from it), yet it is no word: it pays
        // the unknown-word penalty when it ends, at the end of the utterance as in its middle. Heard faintly, the
        // "ce" that would make it "office" costs 2·ln(0.65/0.3) ≈ 1.5 acoustically, less than a penalty of 6.
        var wordPenaltyOnly = DecodingOptions.Default with { LmWeight = 0, UnknownWordPenalty = -6, UnknownUnitPenalty = 0 };
        var faintEnd = new SyntheticPosteriors().Say("call the offi")
            .Frame(("c", 0.3), ("<blank>", 0.65)).Frame(("e", 0.3), ("<blank>", 0.65));
        Assert.Equal("call the offi", GreedyDecoder().Decode(faintEnd.Build()).Text);
        Assert.Equal("call the office", Beam(wordPenaltyOnly).Decode(faintEnd.Build()).Text);
        Assert.Equal("call the office is closed", Beam(wordPenaltyOnly).Decode(faintEnd.Say(" is closed").Build()).Text);

        // Clearly heard, it is still written (the penalty is the documented one, not a ban).
        Assert.Equal("the offi is closed", Beam().Decode(new SyntheticPosteriors().Say("the offi is closed", peak: 0.97).Build()).Text);
    }

    [Fact]
    public void Unknown_words_do_not_swallow_the_spaces_between_known_ones()
    {
        // A name the LM has never seen, then known words with weak spaces: the spaces must survive.
        var p = new SyntheticPosteriors().Say("call zorblax", peak: 0.97).Frame((" ", 0.35), ("", 0.6)).Blank()
            .Say("the").Frame((" ", 0.35), ("", 0.6)).Blank().Say("office").Build();
        // A realistic vocabulary size makes <unk> rare (here 5,000 extra words), which is what tempts the search.
        var big = new WordLanguageModel(Lexicon.FromTranscripts(Corpus.Concat(Enumerable.Range(0, 5000).Select(i => $"filler{i}"))));
        Assert.Equal("call zorblax the office", new CtcDecoder(Units, big, DecodingOptions.Default).Decode(p).Text);
        // The temptation grows with the LM weight; at 0.5 only the unknown-unit penalty keeps the spaces.
        var strongLm = DecodingOptions.Default with { LmWeight = 0.5, WordInsertionBonus = 1, UnknownWordPenalty = -6 };
        Assert.Equal("call zorblax the office", new CtcDecoder(Units, big, strongLm).Decode(p).Text);
        Assert.Equal("call zorblaxtheoffice", new CtcDecoder(Units, big, strongLm with { UnknownUnitPenalty = 0 }).Decode(p).Text);
    }

    [Fact]
    public void Confidences_are_lower_on_noisy_flat_posteriors_than_on_clean_ones()
    {
        var clean = new SyntheticPosteriors().Say("please call the office", peak: 0.95).Build();
        var noisy = new SyntheticPosteriors().Say("please call the office", peak: 0.95).AddNoise(new Random(7), 0.7).Build();

        foreach (var decoder in new[] { Beam(), GreedyDecoder() })
        {
            var c = decoder.Decode(clean);
            var n = decoder.Decode(noisy);
            Assert.All(c.Words.Concat(n.Words), w => Assert.InRange(w.Confidence, 0, 1));
            Assert.InRange(c.Confidence, 0.85, 1);
            Assert.True(n.Confidence < c.Confidence - 0.3, $"noisy {n.Confidence:F3} vs clean {c.Confidence:F3}");
        }
    }

    [Fact]
    public void Word_times_follow_the_frames_the_words_were_spoken_in()
    {
        var p = new SyntheticPosteriors().Blank(frames: 25).Say("the cat").Blank(frames: 25).Say("sat").Build();

        var words = Beam().Decode(p).Words;

        Assert.Equal(["the", "cat", "sat"], words.Select(w => w.Word));
        Assert.Equal(1.00, words[0].Start, 6);           // frame 25
        Assert.Equal((25 + 4 + 1) * 0.04, words[0].End, 6); // 'e' at frame 29
        Assert.Equal((25 + 14 + 25) * 0.04, words[2].Start, 6);
        Assert.True(words[1].End <= words[2].Start);
    }

    [Fact]
    public void Batches_decode_like_single_utterances_in_input_order()
    {
        var batch = new[] { "the cat sat", "please call the office", "cut the bread", "" }
            .Select((s, i) => new SyntheticPosteriors().Blank(frames: 3).Say(s).AddNoise(new Random(i), 0.2).Build()).ToList();
        var decoder = Beam();

        var parallel = decoder.DecodeBatch(batch, maxParallelism: 2);

        Assert.Equal(batch.Select(decoder.Decode).Select(t => t.Text), parallel.Select(t => t.Text));
        Assert.Equal("please call the office", parallel[1].Text);
        Assert.Equal("", parallel[3].Text);
    }

    [Fact]
    public void Without_a_language_model_beam_search_sums_paths_where_greedy_takes_the_best_one()
    {
        // Two frames of blank 0.40 / 'a' 0.35: the best path is blank-blank (""), but "a" has three paths worth 0.40.
        var p = new SyntheticPosteriors().Frame(("", 0.40), ("a", 0.35)).Frame(("", 0.40), ("a", 0.35)).Build();
        Assert.Equal("", GreedyDecoder().Decode(p).Text);
        Assert.Equal("a", new CtcDecoder(Units, null, DecodingOptions.Default).Decode(p).Text);
    }
}
