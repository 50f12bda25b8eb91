using DgTools.Language;
using Xunit;

namespace DgTools.Tests.Language;

public class LexiconFormatTests
{
    private static readonly string GoldenPath = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Language", "lexicon-v1.txt");
    private static readonly string[] Corpus = ["the cat sat", "the cat ran", "a dog sat"];

    [Fact]
    public void Writes_the_golden_file_byte_for_byte()
    {
        Assert.Equal(File.ReadAllText(GoldenPath), LexiconFormat.Write(Lexicon.FromTranscripts(Corpus)));
    }

    [Fact]
    public void Reads_the_golden_file_back_to_the_same_counts_and_model()
    {
        var read = LexiconFormat.Read(File.ReadAllText(GoldenPath));
        var built = Lexicon.FromTranscripts(Corpus);

        Assert.Equal(built.Words, read.Words);
        Assert.Equal(2, read.CountOf("cat"));
        Assert.Equal(built.BigramCount, read.BigramCount);
        Assert.Equal(built.TrigramCount, read.TrigramCount);
        Assert.Equal(new WordLanguageModel(built).SentenceLogProb("the cat sat"), new WordLanguageModel(read).SentenceLogProb("the cat sat"), 6);
    }

    [Fact]
    public void A_lexicon_with_a_domain_layer_is_version_2_and_round_trips_pruned()
    {
        var merged = Lexicon.FromTranscripts(Corpus).WithDomainTranscripts(["the zorblax sat", "a zorblax ran"], 0.5).Lexicon;
        foreach (var lexicon in new[] { merged, merged.Pruned(6) })
        {
            var text = LexiconFormat.Write(lexicon);
            Assert.StartsWith("dgtools-lexicon 2\n", text);
            Assert.Contains("\ndomain 2\n", text);   // 12 general tokens against 8 of the transcripts: round(1.5)
            var again = LexiconFormat.Read(text);
            Assert.Equal(text, LexiconFormat.Write(again));
            Assert.Equal(new WordLanguageModel(lexicon).SentenceLogProb("a zorblax sat"), new WordLanguageModel(again).SentenceLogProb("a zorblax sat"), 6);
        }
    }

    [Fact]
    public void Round_trips_a_pruned_lexicon_with_unicode_words()
    {
        var lexicon = Lexicon.FromTranscripts(["안녕하세요 세계", "¿qué tal? señor", "dag meneer"], maxNgrams: 5);
        var again = LexiconFormat.Read(LexiconFormat.Write(lexicon));
        Assert.Equal(lexicon.Words, again.Words);
        Assert.Equal(LexiconFormat.Write(lexicon), LexiconFormat.Write(again));
    }

    [Theory]
    [InlineData("dgtools-lexicon 3\n", "version 3; this dgtools reads versions 1–2")]
    [InlineData("dgtools-lexicon 2\norder 3\nreserved 1 1 0\nwords 1\nx 1\nbigrams 0\ntrigrams 0\nlayer 2\n", "expected 'domain', found 'layer'")]
    [InlineData("dgtools-lexicon 2\norder 3\nreserved 1 1 0\nwords 1\nx 5\nbigrams 0\ntrigrams 0\ndomain 3\ndomain-words 1\n3 2\n", "2 domain occurrences × 3 exceed the merged count 5")]
    [InlineData("kenlm 1\n", "not a dgtools lexicon")]
    [InlineData("dgtools-lexicon 1\norder 4\n", "4-gram")]
    [InlineData("dgtools-lexicon 1\norder 3\nreserved 1 1 0\nwords 2\nx 1\n", "ends early")]
    [InlineData("dgtools-lexicon 1\norder 3\nreserved 1 1 0\nwords 2\nx 1\nx 2\n", "listed twice")]
    [InlineData("dgtools-lexicon 1\norder 3\nreserved 1 1 0\nwords 1\nx 1\nbigrams 1\n0 9 1\n", "not a word id")]
    [InlineData("dgtools-lexicon 1\norder 3\nreserved 1 1 0\nwords 1\nx -1\n", "not a count")]
    [InlineData("dgtools-lexicon 1\norder 3\nreserved 1 1 0\nwords 0\nbigrams 0\ntrigrams 0\nend\nmore\n", "after 'end'")]
    public void Rejects_what_it_does_not_understand_naming_the_line(string text, string expected)
    {
        var e = Assert.Throws<ModelFileError>(() => LexiconFormat.Read(text, "model.dg"));
        Assert.Contains(expected, e.Message);
        Assert.Contains("dgtools.lexicon", e.Message);
        Assert.Equal("model.dg", e.Path);
    }
}
