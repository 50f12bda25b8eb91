using DgTools.Language;
using Xunit;

namespace DgTools.Tests.Language;

public class LexiconTests
{
    [Fact]
    public void Counts_words_and_ngrams_of_transcripts()
    {
        var lexicon = Lexicon.FromTranscripts(["the cat sat", "the cat ran", "a dog"]);

        Assert.Equal(6, lexicon.VocabularySize);
        Assert.Equal(2, lexicon.CountOf("the"));
        Assert.Equal(2, lexicon.CountOf("cat"));
        Assert.Equal(0, lexicon.CountOf("bird"));
        Assert.Equal(3, lexicon.CountOf(Lexicon.SentenceStart));
        Assert.Equal(3, lexicon.CountOf(Lexicon.SentenceEnd));
        Assert.True(lexicon.Contains("dog"));
        Assert.False(lexicon.Contains("<s>"));
        Assert.Equal(Lexicon.Unknown, lexicon.IdOf("bird"));
        // <s> the, the cat, cat sat, sat </s>, cat ran, ran </s>, <s> a, a dog, dog </s>
        Assert.Equal(9, lexicon.BigramCount);
        // <s> the cat, the cat sat, cat sat </s>, the cat ran, cat ran </s>, <s> a dog, a dog </s>
        Assert.Equal(7, lexicon.TrigramCount);
    }

    [Fact]
    public void Update_returns_only_new_words_most_frequent_first_and_leaves_the_original_alone()
    {
        var general = Lexicon.FromTranscripts(["call the office", "the office is closed"]);

        var update = general.WithTranscripts(["call deepgram", "ask zorblax about deepgram", "the office"]);

        Assert.Equal(["deepgram", "ask", "zorblax", "about"], update.AddedWords);
        Assert.Equal(2, update.Lexicon.CountOf("deepgram"));
        Assert.Equal(3, update.Lexicon.CountOf("office"));
        Assert.False(general.Contains("deepgram"));
        Assert.Equal(2, general.CountOf("office"));
        Assert.Empty(update.Lexicon.WithTranscripts(["call deepgram"]).AddedWords);
    }

    [Fact]
    public void Reserved_tokens_and_blank_lines_are_not_words()
    {
        var lexicon = Lexicon.FromTranscripts(["<s> hello </s>", "   ", ""]);
        Assert.Equal(["hello"], lexicon.VocabularyWords);
        Assert.Equal(1, lexicon.CountOf(Lexicon.SentenceStart));
    }

    [Fact]
    public void Describes_added_words_truncated()
    {
        Assert.Equal("Added 0 new vocabulary words", Lexicon.DescribeAddedWords([]));
        Assert.Equal("Added 1 new vocabulary word: zorblax", Lexicon.DescribeAddedWords(["zorblax"]));
        Assert.Equal("Added 4 new vocabulary words: a, b, … (2 more)", Lexicon.DescribeAddedWords(["a", "b", "c", "d"], maxShown: 2));
    }

    [Fact]
    public void Pruning_drops_the_rarest_ngrams_trigrams_before_bigrams_and_keeps_every_word()
    {
        var lexicon = Lexicon.FromTranscripts(["a b c", "a b c", "a b c", "d e f"], maxNgrams: int.MaxValue);
        Assert.Equal(8, lexicon.BigramCount);
        Assert.Equal(6, lexicon.TrigramCount);

        var pruned = lexicon.Pruned(11);

        Assert.Equal(8, pruned.BigramCount);
        Assert.Equal(3, pruned.TrigramCount);
        Assert.Equal(3, pruned.TrigramCounts.Values.Min()); // the three "a b c" trigrams survive
        Assert.Equal(6, pruned.VocabularySize);

        var frequentTrigramsStay = lexicon.Pruned(9);
        Assert.Equal(3, frequentTrigramsStay.TrigramCount);
        Assert.Equal(6, frequentTrigramsStay.BigramCount);

        var tiny = lexicon.Pruned(2);
        Assert.Equal(0, tiny.TrigramCount);
        Assert.Equal(2, tiny.BigramCount);
        Assert.Equal(6, tiny.VocabularySize);
    }
}
