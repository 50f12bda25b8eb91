// The word trigram language model the beam search scores words with, estimated from a Lexicon's counts when a model
// is loaded. Smoothing: interpolated absolute discounting with the modified discounts of Chen & Goodman (one discount
// for counts 1, 2 and 3+, per order, from the count-of-counts). All orders use raw counts — not Kneser-Ney's
// continuation counts — so that a pruned lexicon still gives a normalised model: whatever a pruned n-gram held goes
// to its context's back-off weight. Unknown words get the uniform share of the unigram level (1 / (|V| + 2)), scaled
// by the unigram back-off weight; the decoder adds its own unknown-word penalty on top.
// A lexicon with a domain layer (the customer's transcripts, merged with weight W) is discounted per part: an
// n-gram's count is its general part plus W × its domain occurrences, and each part loses its own discount (the
// domain's from the domain's count-of-counts), the domain's in units of W. So a context the transcripts saw 3 times
// with 3 different continuations gives its back-off the share 3 transcript occurrences justify, not 1/W of it: a new
// word followed by a word the transcripts never put after it is not scored as all but impossible.
namespace DgTools.Language;

/// <summary>The language-model history: the last two word ids (<see cref="Prev2"/> is -1 at sentence start).</summary>
public readonly record struct LmState(int Prev2, int Prev1)
{
    public static readonly LmState Start = new(-1, Lexicon.SentenceStart);
    public LmState Then(int word) => new(Prev1, word);
}

public sealed class WordLanguageModel
{
    private static readonly double[] FallbackDiscounts = [0.5, 1.0, 1.5];

    private readonly Lexicon _lexicon;
    private readonly float[] _unigram;
    private readonly float[] _bigramBackoff;
    private readonly Dictionary<long, float> _bigram;
    private readonly Dictionary<long, float> _trigram;
    private readonly Dictionary<long, float> _trigramBackoff;

    public WordLanguageModel(Lexicon lexicon)
    {
        _lexicon = lexicon;
        var counts = lexicon.UnigramCounts;
        int n = counts.Count;
        var domain = lexicon.Domain;
        long weight = lexicon.DomainWeight;
        var noCounts = new Dictionary<long, long>();
        var unigramKept = new CountDiscounter(domain?.Unigrams.ToDictionary(kv => (long)kv.Key, kv => kv.Value) ?? noCounts, weight,
            Enumerable.Range(Lexicon.SentenceEnd, n - Lexicon.SentenceEnd).Select(w => ((long)w, counts[w])));
        var bigramKept = new CountDiscounter(domain?.Bigrams ?? noCounts, weight, lexicon.BigramCounts.Select(kv => (kv.Key, kv.Value)));
        var trigramKept = new CountDiscounter(domain?.Trigrams ?? noCounts, weight, lexicon.TrigramCounts.Select(kv => (kv.Key, kv.Value)));

        // Unigram level: every id but <s> can be predicted.
        double total1 = 0, kept1 = 0;
        for (int w = Lexicon.SentenceEnd; w < n; w++) { total1 += counts[w]; kept1 += unigramKept.Kept(w, counts[w]); }
        double uniform = 1.0 / (n - 1);
        var p1 = new double[n];
        _unigram = new float[n];
        for (int w = 0; w < n; w++)
        {
            p1[w] = w == Lexicon.SentenceStart ? 0
                : total1 > 0 ? unigramKept.Kept(w, counts[w]) / total1 + (1 - kept1 / total1) * uniform
                : uniform;
            _unigram[w] = (float)Math.Log(p1[w]);
        }

        // Bigram level: a context's total is its unigram count (every word is followed by a word or </s>).
        var kept2 = new double[n];
        foreach (var (key, c) in lexicon.BigramCounts)
        {
            var (v, _) = Lexicon.Unpack2(key);
            kept2[v] += bigramKept.Kept(key, c) / Math.Max(1, counts[v]);
        }
        _bigramBackoff = new float[n];
        for (int v = 0; v < n; v++) _bigramBackoff[v] = (float)Math.Log(Math.Max(1e-12, 1 - kept2[v]));
        var p2 = new Dictionary<long, double>(lexicon.BigramCount);
        _bigram = new Dictionary<long, float>(lexicon.BigramCount);
        foreach (var (key, c) in lexicon.BigramCounts)
        {
            var (v, w) = Lexicon.Unpack2(key);
            double p = bigramKept.Kept(key, c) / Math.Max(1, counts[v]) + (1 - kept2[v]) * p1[w];
            p2[key] = p;
            _bigram[key] = (float)Math.Log(p);
        }

        // Trigram level: a context (u, v)'s total is the bigram count of (u, v).
        var kept3 = new Dictionary<long, double>();
        foreach (var (key, c) in lexicon.TrigramCounts)
        {
            var (u, v, _) = Lexicon.Unpack3(key);
            var ctx = Lexicon.Pack(u, v);
            kept3[ctx] = kept3.GetValueOrDefault(ctx) + trigramKept.Kept(key, c) / Math.Max(c, lexicon.BigramCounts.GetValueOrDefault(ctx));
        }
        _trigramBackoff = kept3.ToDictionary(kv => kv.Key, kv => (float)Math.Log(Math.Max(1e-12, 1 - kv.Value)));
        _trigram = new Dictionary<long, float>(lexicon.TrigramCount);
        foreach (var (key, c) in lexicon.TrigramCounts)
        {
            var (u, v, w) = Lexicon.Unpack3(key);
            var ctx = Lexicon.Pack(u, v);
            double lower = p2.TryGetValue(Lexicon.Pack(v, w), out var b) ? b : (1 - kept2[v]) * p1[w];
            double p = trigramKept.Kept(key, c) / Math.Max(c, lexicon.BigramCounts.GetValueOrDefault(ctx)) + (1 - kept3[ctx]) * lower;
            _trigram[key] = (float)Math.Log(p);
        }
    }

    public Lexicon Lexicon => _lexicon;

    /// <summary>The word's id (<see cref="Lexicon.Unknown"/> when it is not in the vocabulary).</summary>
    public int IdOf(string word) => _lexicon.IdOf(word);

    /// <summary>Natural-log probability of <paramref name="word"/> (an id) after <paramref name="state"/>.</summary>
    public float LogProb(LmState state, int word)
    {
        if (state.Prev2 >= 0)
        {
            if (_trigram.TryGetValue(Lexicon.Pack(state.Prev2, state.Prev1, word), out var p3)) return p3;
            if (_trigramBackoff.TryGetValue(Lexicon.Pack(state.Prev2, state.Prev1), out var bo3))
                return bo3 + Bigram(state.Prev1, word);
        }
        return Bigram(state.Prev1, word);
    }

    /// <summary>Natural-log probability of a whole sentence (words separated by spaces), including its end.</summary>
    public double SentenceLogProb(string sentence)
    {
        var state = LmState.Start;
        double total = 0;
        foreach (var word in sentence.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            int id = IdOf(word);
            total += LogProb(state, id);
            state = state.Then(id);
        }
        return total + LogProb(state, Lexicon.SentenceEnd);
    }

    /// <summary>Per-word perplexity over <paramref name="sentences"/> (each sentence end counts as a word).</summary>
    public double Perplexity(IEnumerable<string> sentences)
    {
        double logProb = 0;
        long tokens = 0;
        foreach (var s in sentences)
        {
            logProb += SentenceLogProb(s);
            tokens += s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length + 1;
        }
        return tokens == 0 ? double.NaN : Math.Exp(-logProb / tokens);
    }

    private float Bigram(int v, int w) =>
        _bigram.TryGetValue(Lexicon.Pack(v, w), out var p2) ? p2 : _bigramBackoff[v] + _unigram[w];

    private static double Discounted(long count, double[] d) =>
        count <= 0 ? 0 : Math.Max(0, count - d[Math.Min(count, 3) - 1]);

    /// <summary>One order's discounting: the general part of a count (count − weight × domain occurrences) with the
    /// discounts of the general parts' count-of-counts, plus weight × the domain occurrences with the domain's own.</summary>
    private sealed class CountDiscounter
    {
        private readonly IReadOnlyDictionary<long, long> _domain;
        private readonly long _weight;
        private readonly double[] _general;
        private readonly double[] _domainDiscounts;

        public CountDiscounter(IReadOnlyDictionary<long, long> domain, long weight, IEnumerable<(long Key, long Count)> counts)
        {
            _domain = domain;
            _weight = weight;
            _general = Discounts(counts.Select(kc => kc.Count - weight * domain.GetValueOrDefault(kc.Key)));
            _domainDiscounts = Discounts(domain.Values);
        }

        /// <summary>What an n-gram seen <paramref name="count"/> times (merged) keeps after discounting.</summary>
        public double Kept(long key, long count)
        {
            if (_domain.Count == 0) return Discounted(count, _general);
            long occurrences = _domain.GetValueOrDefault(key);
            return Discounted(count - _weight * occurrences, _general) + _weight * Discounted(occurrences, _domainDiscounts);
        }
    }

    /// <summary>Chen &amp; Goodman's D1, D2, D3+ from the count-of-counts; fixed values when the counts are too few.</summary>
    private static double[] Discounts(IEnumerable<long> counts)
    {
        long n1 = 0, n2 = 0, n3 = 0, n4 = 0;
        foreach (var c in counts)
        {
            if (c == 1) n1++; else if (c == 2) n2++; else if (c == 3) n3++; else if (c == 4) n4++;
        }
        if (n1 == 0 || n2 == 0 || n3 == 0 || n4 == 0) return FallbackDiscounts;
        double y = n1 / (n1 + 2.0 * n2);
        double[] d = [1 - 2 * y * n2 / n1, 2 - 3 * y * n3 / n2, 3 - 4 * y * n4 / n3];
        for (int i = 0; i < 3; i++)
            if (!(d[i] > 0 && d[i] <= i + 1)) return FallbackDiscounts;
        return d;
    }
}
