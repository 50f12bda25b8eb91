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

    [Theory]
    [MemberData(nameof(Budgets))]
    public void A_lexicon_with_a_domain_layer_still_sums_to_one_in_every_context(int budget)
    {
        var merged = Lexicon.FromTranscripts(Corpus)
            .WithDomainTranscripts(["take zorblax daily", "zorblax daily please", "call the zorblax office"], 0.5).Lexicon.Pruned(budget);
        var lm = new WordLanguageModel(merged);
        var ids = Enumerable.Range(1, lm.Lexicon.Words.Count - 1).ToList();
        int[] contexts = [Lexicon.SentenceStart, lm.IdOf("the"), lm.IdOf("zorblax"), lm.IdOf("daily"), Lexicon.Unknown];
        foreach (var u in contexts.Prepend(-1))
            foreach (var v in contexts)
            {
                var state = new LmState(u, v);
                double sum = ids.Sum(w => Math.Exp(lm.LogProb(state, w)));
                Assert.True(Math.Abs(sum - 1) < 1e-4, $"context ({u},{v}) sums to {sum} at budget {budget}");
            }
    }

    [Fact]
    public void A_new_word_leaves_its_context_the_back_off_its_few_occurrences_justify()
    {
        // "zorblax" occurs twice in the transcripts, both times before "daily". Merged at a weight of ~thousands, a
        // back-off computed from the multiplied counts would be ~1/weight: "zorblax office" all but impossible. Its
        // own two occurrences (fallback discount 1.0 for a count of 2) leave half the mass for other words.
        var general = Lexicon.FromTranscripts(Enumerable.Repeat(Corpus, 100).SelectMany(s => s));
        var update = general.WithDomainTranscripts(["take zorblax daily", "zorblax daily please"], 0.5);
        Assert.True(update.Weight > 1000, $"weight {update.Weight}");
        var lm = new WordLanguageModel(update.Lexicon);
        int zorblax = lm.IdOf("zorblax"), office = lm.IdOf("office"), daily = lm.IdOf("daily");
        var afterZorblax = new LmState(-1, zorblax);
        var noContext = new LmState(-1, Lexicon.Unknown);   // <unk> is never a context: the unigram level
        Assert.Equal(Math.Log(0.5) + lm.LogProb(noContext, office), lm.LogProb(afterZorblax, office), 3);
        Assert.Equal(Math.Log(0.5 + 0.5 * Math.Exp(lm.LogProb(noContext, daily))), lm.LogProb(afterZorblax, daily), 3);

        // The same counts as plain (multiplied) counts: the context is all but closed.
        var plain = new WordLanguageModel(general.WithTranscripts(["take zorblax daily", "zorblax daily please"], update.Weight).Lexicon);
        Assert.True(plain.LogProb(afterZorblax, office) < lm.LogProb(afterZorblax, office) - 6);
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
