using DgTools.Language;
using Xunit;

namespace DgTools.Tests.Language;

public class WordLanguageModelTests
{
    private static readonly string[] Corpus =
    [
        "please call the office", "please call the doctor", "call the office now", "the office is closed",
        "the doctor is in", "please wait", "wait for the doctor", "the cat sat on the mat", "the cat is in",
        "call me now", "please call me", "the office called", "is the doctor in", "the mat is red",
        "a red cat", "a red mat", "the red office", "call the cat", "the cat called the doctor", "now wait",
    ];

    public static TheoryData<int> Budgets => new() { int.MaxValue, 40, 10, 0 };

    [Theory]
    [MemberData(nameof(Budgets))]
    public void Probabilities_sum_to_one_in_every_context_even_after_pruning(int budget)
    {
        var lm = new WordLanguageModel(Lexicon.FromTranscripts(Corpus, budget));
        var ids = Enumerable.Range(1, lm.Lexicon.Words.Count - 1).ToList(); // everything but <s>
        int[] contexts = [Lexicon.SentenceStart, lm.IdOf("the"), lm.IdOf("call"), lm.IdOf("mat"), Lexicon.Unknown];

        foreach (var u in contexts.Prepend(-1))
            foreach (var v in contexts)
            {
                if (u == -1 && v != Lexicon.SentenceStart && v != lm.IdOf("the")) continue;
                var state = new LmState(u, v);
                double sum = ids.Sum(w => Math.Exp(lm.LogProb(state, w)));
                Assert.True(Math.Abs(sum - 1) < 1e-4, $"context ({u},{v}) sums to {sum} at budget {budget}");
            }
    }

    [Fact]
    public void Seen_word_orders_score_higher_than_scrambled_ones_and_unknown_words_lowest()
    {
        var lm = new WordLanguageModel(Lexicon.FromTranscripts(Corpus));

        Assert.True(lm.SentenceLogProb("please call the office") > lm.SentenceLogProb("office the call please") + 5);
        Assert.True(lm.LogProb(new LmState(lm.IdOf("call"), lm.IdOf("the")), lm.IdOf("office"))
                    > lm.LogProb(new LmState(lm.IdOf("call"), lm.IdOf("the")), lm.IdOf("wait")));
        var afterThe = LmState.Start.Then(lm.IdOf("the"));
        Assert.True(lm.LogProb(afterThe, Lexicon.Unknown) < lm.LogProb(afterThe, lm.IdOf("wait")));
        Assert.Equal(lm.LogProb(afterThe, Lexicon.Unknown), lm.LogProb(afterThe, lm.IdOf("zebra")));
    }

    [Fact]
    public void Held_out_perplexity_is_far_below_the_uniform_models()
    {
        var lm = new WordLanguageModel(Lexicon.FromTranscripts(Corpus));
        double uniform = lm.Lexicon.Words.Count - 1;
        double ppl = lm.Perplexity(["please call the doctor now", "the cat is red"]);
        Assert.InRange(ppl, 1, uniform / 3);
    }
}
