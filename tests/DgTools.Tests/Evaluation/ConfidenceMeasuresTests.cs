using DgTools.Decoding;
using DgTools.Evaluation;
using Xunit;

namespace DgTools.Tests.Evaluation;

public class ConfidenceMeasuresTests
{
    private static IReadOnlyList<(IReadOnlyList<JudgedWord>, double)> One(params (double C, bool R)[] words) =>
        [(words.Select(w => new JudgedWord(w.C, w.R)).ToList(), 1.0)];

    [Fact]
    public void Ece_is_the_word_weighted_gap_between_bin_confidence_and_bin_accuracy()
    {
        // Bin 9 (0.9–1.0): confidences 0.95, 0.95, 0.95, 0.95 and 3 of 4 right → gap 0.2; bin 2: 0.25 and 0.25, 1 of 2 right → gap 0.25.
        var m = ConfidenceMeasures.Compute(One((0.95, true), (0.95, true), (0.95, true), (0.95, false), (0.25, true), (0.25, false)));
        Assert.Equal((4 * 0.2 + 2 * 0.25) / 6, m.Ece, 9);
        Assert.Equal(4, m.Bins[9].Count);
        Assert.Equal(0.75, m.Bins[9].Accuracy, 9);
        Assert.Equal(2, m.Bins[2].Count);
        Assert.Equal(0, m.Bins[5].Count);
        Assert.True(double.IsNaN(m.Bins[5].Accuracy));
        // ≥ 0.9: 4 of 6 words, 3 of them right.
        var t = m.Thresholds.Single(x => x.Threshold == 0.9);
        Assert.Equal((4 / 6.0, 0.75), (t.Share, t.Accuracy));
    }

    [Fact]
    public void Auroc_counts_ranked_pairs_and_ties_count_half()
    {
        Assert.Equal(1.0, ConfidenceMeasures.AreaUnderRoc([new(0.9, true), new(0.8, true), new(0.2, false)]));
        Assert.Equal(0.0, ConfidenceMeasures.AreaUnderRoc([new(0.1, true), new(0.8, false)]));
        // Pairs (right, wrong): (0.9, 0.5) 1, (0.5, 0.5) ½, (0.3, 0.5) 0 → 1.5 / 3.
        Assert.Equal(0.5, ConfidenceMeasures.AreaUnderRoc([new(0.9, true), new(0.5, true), new(0.3, true), new(0.5, false)])!.Value, 9);
        Assert.Null(ConfidenceMeasures.AreaUnderRoc([new(0.9, true), new(0.5, true)]));
    }

    [Fact]
    public void Judging_pairs_each_recognised_word_with_its_alignment_column()
    {
        var words = new[] { "the", "cat", "sad", "down" }.Select((w, i) => new WordTiming(w, i, i + 1, 0.5 + i / 10.0)).ToList();
        // "the cat sat" vs "the cat sad down": sat→sad substituted, down inserted.
        var judged = ConfidenceMeasures.Judge("the cat sat", words);
        Assert.Equal([true, true, false, false], judged.Select(j => j.Correct));
        Assert.Equal(words, judged.Select(j => j.Word));
        // A deleted reference word takes no recognised word.
        var deleted = ConfidenceMeasures.Judge("the big cat", words.Take(2).ToList());
        Assert.Equal([true, true], deleted.Select(j => j.Correct));
    }

    [Fact]
    public void Utterance_confidence_is_compared_with_utterance_accuracy()
    {
        var utterances = new List<(IReadOnlyList<JudgedWord>, double)>
        {
            ([new(0.9, true), new(0.9, true)], 1.0),
            ([new(0.5, true), new(0.5, false)], 0.5),
            ([new(0.1, false)], 0.0),
        };
        var m = ConfidenceMeasures.Compute(utterances);
        Assert.True(m.UtteranceCorrelation > 0.99);
        Assert.Equal((0.1 + 0 + 0.1) / 3, m.UtteranceMeanAbsoluteError, 9);
    }
}
