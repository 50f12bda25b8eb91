using DgTools.Decoding;
using DgTools.Language;
using DgTools.Text;
using Xunit;

namespace DgTools.Tests.Decoding;

public class KeywordBoostTests
{
    private static readonly WordLanguageModel Lm = new(Lexicon.FromTranscripts(
    [
        .. Enumerable.Repeat("please call the office", 5), "the cat sat on the mat", "call the cat", "take the bus",
    ]));
    private static readonly CtcUnits Units = SyntheticPosteriors.English;
    private static readonly CtcDecoder Beam = new(Units, Lm, DecodingOptions.Default);

    private static KeywordBoost Boost(params string[] specs) => KeywordBoost.FromSpecs(specs, Units, "en")!;

    [Theory]
    [InlineData("metformin", "metformin", 1.0)]
    [InlineData("Metformin:2.5", "Metformin", 2.5)]
    [InlineData(" warfarin : -3 ", "warfarin", -3.0)]
    public void Deepgram_keyword_specs_parse(string spec, string term, double intensifier) =>
        Assert.Equal(new Keyword(term, intensifier), Keyword.Parse(spec));

    [Theory]
    [InlineData("")]
    [InlineData(":2")]
    [InlineData("word:much")]
    [InlineData("word:1000")]
    [InlineData("word:NaN")]
    public void Bad_keyword_specs_are_refused(string spec) =>
        Assert.Throws<ArgumentException>(() => Keyword.Parse(spec));

    [Fact]
    public void Terms_are_normalised_like_transcripts_and_unspellable_ones_reported()
    {
        var boost = new KeywordBoost([new Keyword("Lisinopril", 1), new Keyword("two pills", 1), new Keyword("日本", 1)],
            Units, TextNormalizer.For("en"));
        Assert.Equal(["lisinopril", "two", "pills"], boost.Words);
        Assert.Empty(boost.Unspellable); // the normaliser drops what English cannot spell
    }

    [Fact]
    public void A_word_the_vocabulary_lacks_is_recognised_once_it_is_a_keyword()
    {
        // "call metformin" where the acoustics favour the drug name only weakly: without the keyword the search
        // writes a known word; with it, the drug name.
        var p = new SyntheticPosteriors().Say("call ").Confuse("m", 0.5, "c", 0.45).Confuse("e", 0.5, "a", 0.45)
            .Confuse("t", 0.5, "t", 0.45).Say("formin").Build();
        var plain = Beam.Decode(p).Text;
        Assert.DoesNotContain("metformin", plain);
        Assert.Equal("call metformin", Beam.Decode(p, Boost("metformin:2")).Text);
    }

    [Fact]
    public void A_keyword_sways_a_close_call_and_a_negative_one_suppresses_a_word()
    {
        var p = new SyntheticPosteriors().Say("call the c").Confuse("a", 0.5, "u", 0.45).Say("t").Build();
        Assert.Equal("call the cat", Beam.Decode(p).Text);
        Assert.Equal("call the cut", Beam.Decode(p, Boost("cut:1")).Text);
        Assert.DoesNotContain("cat", Beam.Decode(p, Boost("cat:-2")).Text);
        // A suppressed word costs only when it ends: "call", which starts like "cat", is untouched.
        Assert.Equal("call the cat", Beam.Decode(p, Boost("ca:-5")).Text);
    }

    [Fact]
    public void A_word_that_only_starts_like_a_keyword_earns_nothing()
    {
        // "office" shares "off" with the keyword "offset": the bonus earned on "off" is given back when the spelling
        // turns away, so "office" keeps its plain score; "offi" is a keyword that "office" only starts with.
        var p = new SyntheticPosteriors().Say("please call the office").Build();
        Assert.Equal("please call the office", Beam.Decode(p, Boost("offset")).Text);
        Assert.Equal("please call the office", Beam.Decode(p, Boost("offi")).Text);
    }

    [Fact]
    public void Greedy_decoding_ignores_keywords()
    {
        var p = new SyntheticPosteriors().Say("call the c").Confuse("a", 0.5, "u", 0.45).Say("t").Build();
        var greedy = new CtcDecoder(Units, Lm, new DecodingOptions { Greedy = true });
        Assert.Equal(greedy.Decode(p).Text, greedy.Decode(p, Boost("cut:5")).Text);
    }
}
