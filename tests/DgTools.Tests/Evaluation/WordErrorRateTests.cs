using DgTools.Evaluation;
using Xunit;

namespace DgTools.Tests.Evaluation;

public class WordErrorRateTests
{
    [Fact]
    public void Identical_text_has_no_errors()
    {
        var a = WordErrorRate.AlignWords("the cat sat", "the  cat sat ");
        Assert.Equal(new ErrorCounts(3, 0, 0, 0), a.Counts);
        Assert.Equal(0.0, a.Counts.Rate);
        Assert.Equal(1.0, a.Counts.Accuracy);
    }

    [Fact]
    public void Counts_each_kind_of_error_and_returns_the_aligned_pairs()
    {
        var a = WordErrorRate.AlignWords("the cat sat on the mat", "a cat sat the mat too");
        Assert.Equal(new ErrorCounts(4, 1, 1, 1), a.Counts);
        Assert.Equal(3.0 / 6.0, a.Counts.Rate, 12);
        Assert.Equal(
            [
                new("the", "a", EditOperation.Substitution), new("cat", "cat", EditOperation.Correct),
                new("sat", "sat", EditOperation.Correct), new("on", null, EditOperation.Deletion),
                new("the", "the", EditOperation.Correct), new("mat", "mat", EditOperation.Correct),
                new(null, "too", EditOperation.Insertion),
            ],
            a.Pairs);
    }

    [Fact]
    public void Empty_sides_are_all_deletions_or_all_insertions()
    {
        Assert.Equal(new ErrorCounts(0, 0, 2, 0), WordErrorRate.AlignWords("two words", "").Counts);
        var inserted = WordErrorRate.AlignWords("", "two words").Counts;
        Assert.Equal(new ErrorCounts(0, 0, 0, 2), inserted);
        Assert.Equal(2.0, inserted.Rate);
        Assert.Equal(0.0, inserted.Accuracy);
        Assert.Equal(0.0, WordErrorRate.AlignWords("", " ").Counts.Rate);
    }

    [Fact]
    public void Corpus_rate_weights_utterances_by_reference_length()
    {
        var total = WordErrorRate.ScoreWords([("a b c d", "a b c d"), ("e f", "e x")]);
        Assert.Equal(new ErrorCounts(5, 1, 0, 0), total);
        Assert.Equal(1.0 / 6.0, total.Rate, 12);
    }

    [Fact]
    public void Characters_ignore_spaces_and_keep_hangul_syllables_whole()
    {
        var a = WordErrorRate.AlignCharacters("ab cd", "abd x");
        Assert.Equal(new ErrorCounts(3, 0, 1, 1), a.Counts);
        var ko = WordErrorRate.AlignCharacters("한국어 말", "한국 말이");
        Assert.Equal(new ErrorCounts(3, 0, 1, 1), ko.Counts);
        Assert.Equal("어", ko.Pairs.Single(p => p.Operation == EditOperation.Deletion).Reference);
    }

    [Theory]
    [InlineData("sclite_words.tsv", false)]
    [InlineData("sclite_chars.tsv", true)]
    public void Matches_sclite_counts_and_alignments_on_saved_fixtures(string file, bool characters)
    {
        var rows = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Evaluation", file))
            .Where(l => !l.StartsWith('#')).Select(l => l.Split('\t')).ToList();
        Assert.True(rows.Count >= 200, $"only {rows.Count} fixture rows");
        foreach (var row in rows)
        {
            var a = characters ? WordErrorRate.AlignCharacters(row[1], row[2]) : WordErrorRate.AlignWords(row[1], row[2]);
            var expected = new ErrorCounts(int.Parse(row[3]), int.Parse(row[4]), int.Parse(row[5]), int.Parse(row[6]));
            Assert.True(expected == a.Counts, $"{row[0]}: sclite {expected}, ours {a.Counts}");
            var ours = string.Concat(a.Pairs.Select(p => "CSDI"[(int)p.Operation]));
            Assert.True(row[7] == ours, $"{row[0]}: sclite alignment {row[7]}, ours {ours}");
        }
    }

    [Fact]
    public void Long_transcripts_align_without_quadratic_int_memory()
    {
        // 3,000 x 3,000 words: the traceback matrix is bytes (9 MB), the costs two rows.
        var words = Enumerable.Range(0, 3000).Select(i => $"w{i % 97}").ToArray();
        var hyp = words.Where((_, i) => i % 10 != 0).ToArray();
        var a = WordErrorRate.Align(words, hyp);
        Assert.Equal(300, a.Counts.Deletions);
        Assert.Equal(0, a.Counts.Substitutions + a.Counts.Insertions);
    }
}
