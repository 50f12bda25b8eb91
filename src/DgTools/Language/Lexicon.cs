// A model's vocabulary: every word it was taught, with how often it was seen, and the word bigram and trigram counts
// its language model is estimated from. Stored in the .dg (LexiconFormat); the probabilities are re-estimated from
// the counts when a model is loaded (WordLanguageModel), so training can keep adding counts (WithTranscripts).
// A fine-tuned model's lexicon also keeps a domain layer (WithDomainTranscripts): how many times each word and
// n-gram occurred in the customer's transcripts, and the weight those occurrences were counted with in the merged
// counts. The language model discounts each part in its own units (WordLanguageModel).
namespace DgTools.Language;

/// <summary>The customer's transcripts inside a merged lexicon: their occurrences (unweighted) by the lexicon's ids,
/// each counted <see cref="Weight"/> times in the merged counts.</summary>
internal sealed record DomainCounts(long Weight, IReadOnlyDictionary<int, long> Unigrams,
    IReadOnlyDictionary<long, long> Bigrams, IReadOnlyDictionary<long, long> Trigrams)
{
    /// <summary>Domain tokens: words and sentence ends, not sentence starts (as <see cref="Lexicon.TokenCount"/>).</summary>
    public long TokenCount => Unigrams.Where(kv => kv.Key != Lexicon.SentenceStart).Sum(kv => kv.Value);
}

/// <summary>
/// Immutable word and n-gram counts. Word ids 0–2 are reserved (<c>&lt;s&gt;</c>, <c>&lt;/s&gt;</c>,
/// <c>&lt;unk&gt;</c>); real words start at <see cref="FirstWordId"/>. Transcripts are expected already normalised
/// (the language's text normaliser); words are whitespace-separated.
/// </summary>
public sealed class Lexicon
{
    public const int Order = 3;
    public const int SentenceStart = 0;
    public const int SentenceEnd = 1;
    public const int Unknown = 2;
    public const int FirstWordId = 3;
    /// <summary>Bigrams plus trigrams kept by default: ~4 MB of metadata, a few hundred ms to load.</summary>
    public const int DefaultMaxNgrams = 300_000;
    /// <summary>Ids are packed 21 bits each into one long key.</summary>
    public const int MaxWords = 1 << 21;

    internal static readonly string[] ReservedWords = ["<s>", "</s>", "<unk>"];

    private readonly List<string> _words;
    private readonly Dictionary<string, int> _ids;
    private readonly List<long> _counts;
    private readonly Dictionary<long, long> _bigrams;
    private readonly Dictionary<long, long> _trigrams;

    internal Lexicon(List<string> words, List<long> counts, Dictionary<long, long> bigrams, Dictionary<long, long> trigrams,
        DomainCounts? domain = null)
    {
        if (words.Count != counts.Count) throw new ArgumentException("one count per word");
        if (words.Count > MaxWords) throw new ArgumentException($"more than {MaxWords} words");
        _words = words;
        _counts = counts;
        _bigrams = bigrams;
        _trigrams = trigrams;
        Domain = domain;
        _ids = new Dictionary<string, int>(words.Count, StringComparer.Ordinal);
        for (int i = 0; i < words.Count; i++) _ids[words[i]] = i;
    }

    public static Lexicon Empty => new([.. ReservedWords], [0, 0, 0], [], []);

    /// <summary>The vocabulary and counts of a body of (normalised) text, pruned to <paramref name="maxNgrams"/>.</summary>
    public static Lexicon FromTranscripts(IEnumerable<string> transcripts, int maxNgrams = DefaultMaxNgrams) =>
        Empty.WithTranscripts(transcripts).Lexicon.Pruned(maxNgrams);

    /// <summary>All ids including the reserved ones; a word's id is its index.</summary>
    public IReadOnlyList<string> Words => _words;

    /// <summary>Real words only (no reserved tokens), in id order.</summary>
    public IEnumerable<string> VocabularyWords => _words.Skip(FirstWordId);

    public int VocabularySize => _words.Count - FirstWordId;
    public int BigramCount => _bigrams.Count;
    public int TrigramCount => _trigrams.Count;

    public bool Contains(string word) => _ids.TryGetValue(word, out var id) && id >= FirstWordId;

    /// <summary>The word's id, or <see cref="Unknown"/>.</summary>
    public int IdOf(string word) => _ids.TryGetValue(word, out var id) ? id : Unknown;

    public long CountOf(int id) => _counts[id];
    public long CountOf(string word) => _ids.TryGetValue(word, out var id) ? _counts[id] : 0;

    internal IReadOnlyDictionary<long, long> BigramCounts => _bigrams;
    internal IReadOnlyDictionary<long, long> TrigramCounts => _trigrams;
    internal IReadOnlyList<long> UnigramCounts => _counts;

    /// <summary>The customer's transcripts inside the counts above; null for a lexicon of plain counts.</summary>
    internal DomainCounts? Domain { get; }

    /// <summary>How many times each occurrence of the customer's transcripts is counted (1: plain counts).</summary>
    public long DomainWeight => Domain?.Weight ?? 1;

    /// <summary>Words counted so far (every predicted token: words and sentence ends, not sentence starts).</summary>
    public long TokenCount => _counts.Skip(SentenceEnd).Sum();

    /// <summary>
    /// Adds the words and n-gram counts of <paramref name="transcripts"/>, each occurrence counted
    /// <paramref name="weight"/> times. Returns the new lexicon and the words it did not know before, most frequent
    /// first (ties in first-seen order). This lexicon is unchanged. The result is not pruned: call
    /// <see cref="Pruned"/> before storing it if the size matters.
    /// </summary>
    public LexiconUpdate WithTranscripts(IEnumerable<string> transcripts, long weight = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(weight, 1);
        var words = new List<string>(_words);
        var counts = new List<long>(_counts);
        var bigrams = new Dictionary<long, long>(_bigrams);
        var trigrams = new Dictionary<long, long>(_trigrams);
        var ids = new Dictionary<string, int>(_ids, StringComparer.Ordinal);
        var added = new List<int>();
        var sentence = new List<int>();

        foreach (var transcript in transcripts)
        {
            sentence.Clear();
            sentence.Add(SentenceStart);
            foreach (var word in transcript.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                if (!ids.TryGetValue(word, out var id))
                {
                    if (words.Count >= MaxWords) throw new ArgumentException($"vocabulary is limited to {MaxWords - FirstWordId} words");
                    id = words.Count;
                    ids[word] = id;
                    words.Add(word);
                    counts.Add(0);
                    added.Add(id);
                }
                else if (id < FirstWordId)
                {
                    continue; // a literal "<s>" in a transcript is not a word
                }
                sentence.Add(id);
            }
            if (sentence.Count == 1) continue;
            sentence.Add(SentenceEnd);

            counts[SentenceStart] += weight;
            for (int i = 1; i < sentence.Count; i++)
            {
                counts[sentence[i]] += weight;
                Increment(bigrams, Pack(sentence[i - 1], sentence[i]), weight);
                if (i >= 2) Increment(trigrams, Pack(sentence[i - 2], sentence[i - 1], sentence[i]), weight);
            }
        }

        var result = new Lexicon(words, counts, bigrams, trigrams, Domain);
        var addedWords = added
            .Select((id, order) => (id, order))
            .OrderByDescending(x => counts[x.id]).ThenBy(x => x.order)
            .Select(x => words[x.id])
            .ToList();
        return new LexiconUpdate(result, addedWords);
    }

    /// <summary>
    /// Keeps at most <paramref name="maxNgrams"/> bigrams + trigrams: the rarest go first, a trigram before a bigram of
    /// the same count (ties then broken by id, so pruning is deterministic). Every word is kept. Since an n-gram is
    /// never rarer than the shorter n-grams inside it, a kept trigram always keeps its bigrams. The language model
    /// stays normalised: a pruned n-gram's probability mass moves to the back-off.
    /// </summary>
    public Lexicon Pruned(int maxNgrams)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxNgrams);
        if (_bigrams.Count + _trigrams.Count <= maxNgrams) return this;
        var kept = _bigrams.Select(kv => (Order: 2, kv.Key, kv.Value))
            .Concat(_trigrams.Select(kv => (Order: 3, kv.Key, kv.Value)))
            .OrderByDescending(g => g.Value).ThenBy(g => g.Order).ThenBy(g => g.Key)
            .Take(maxNgrams)
            .ToList();
        var bigrams = kept.Where(g => g.Order == 2).ToDictionary(g => g.Key, g => g.Value);
        var trigrams = kept.Where(g => g.Order == 3).ToDictionary(g => g.Key, g => g.Value);
        var domain = Domain is null ? null : Domain with
        {
            Bigrams = Domain.Bigrams.Where(kv => bigrams.ContainsKey(kv.Key)).ToDictionary(),
            Trigrams = Domain.Trigrams.Where(kv => trigrams.ContainsKey(kv.Key)).ToDictionary(),
        };
        return new Lexicon([.. _words], [.. _counts], bigrams, trigrams, domain);
    }

    /// <summary>
    /// Count merging (Bacchiani &amp; Roark's MAP adaptation): adds the customer's <paramref name="transcripts"/> to the
    /// domain layer and merges the layer into the counts with the weight that makes all of its transcripts (this round's
    /// and any earlier round's) <paramref name="share"/> of the counts (<see cref="MergeWeight"/>). The general counts
    /// underneath are left as they were. Returns the new lexicon, the words it did not know before (most frequent
    /// first) and the weight. Not pruned.
    /// </summary>
    public LexiconUpdate WithDomainTranscripts(IEnumerable<string> transcripts, double share)
    {
        // This round's occurrences, by this lexicon's ids (new words appended in first-seen order).
        var occurrences = new Lexicon([.. _words], [.. new long[_words.Count]], [], []).WithTranscripts(transcripts);
        var seen = occurrences.Lexicon;
        var unigrams = Domain?.Unigrams.ToDictionary() ?? [];
        var bigrams = Domain?.Bigrams.ToDictionary() ?? [];
        var trigrams = Domain?.Trigrams.ToDictionary() ?? [];
        for (int id = 0; id < seen._counts.Count; id++)
            if (seen._counts[id] > 0) Increment(unigrams, id, seen._counts[id]);
        foreach (var (key, c) in seen._bigrams) Increment(bigrams, key, c);
        foreach (var (key, c) in seen._trigrams) Increment(trigrams, key, c);
        var layer = new DomainCounts(1, unigrams, bigrams, trigrams);

        // The general counts (the merged ones without the old layer), then the layer merged in at the new weight.
        long oldWeight = DomainWeight;
        var counts = new List<long>(_counts);
        counts.AddRange(new long[seen._counts.Count - counts.Count]);
        var mergedBigrams = new Dictionary<long, long>(_bigrams);
        var mergedTrigrams = new Dictionary<long, long>(_trigrams);
        if (Domain is { } old)
        {
            foreach (var (id, c) in old.Unigrams) counts[id] -= oldWeight * c;
            foreach (var (key, c) in old.Bigrams) Increment(mergedBigrams, key, -oldWeight * c);
            foreach (var (key, c) in old.Trigrams) Increment(mergedTrigrams, key, -oldWeight * c);
        }
        long generalTokens = counts.Skip(SentenceEnd).Sum();
        long weight = MergeWeight(generalTokens, layer.TokenCount, share);
        foreach (var (id, c) in unigrams) counts[id] += weight * c;
        foreach (var (key, c) in bigrams) Increment(mergedBigrams, key, weight * c);
        foreach (var (key, c) in trigrams) Increment(mergedTrigrams, key, weight * c);
        RemoveZeros(mergedBigrams);
        RemoveZeros(mergedTrigrams);
        var merged = new Lexicon([.. seen._words], counts, mergedBigrams, mergedTrigrams, layer with { Weight = weight });
        return new LexiconUpdate(merged, occurrences.AddedWords) { Weight = weight };
    }

    /// <summary>
    /// How many times each transcript occurrence is counted so that <paramref name="domainTokens"/> make up
    /// <paramref name="share"/> of the merged counts: share / (1 − share) · general / domain, at least 1 (plain counts:
    /// when there are no general counts, the share is 0, or the transcripts are already that large a part).
    /// </summary>
    public static long MergeWeight(long generalTokens, long domainTokens, double share)
    {
        if (share is < 0 or >= 1 || double.IsNaN(share)) throw new ArgumentOutOfRangeException(nameof(share), "the share must be in [0, 1)");
        if (domainTokens == 0 || generalTokens == 0 || share == 0) return 1;
        return Math.Max(1, (long)Math.Round(share / (1 - share) * generalTokens / domainTokens));
    }

    /// <summary>Formats the autotrain line: <c>Added 3 new vocabulary words: a, b, c</c>, truncated after <paramref name="maxShown"/>.</summary>
    public static string DescribeAddedWords(IReadOnlyList<string> added, int maxShown = 20)
    {
        if (added.Count == 0) return "Added 0 new vocabulary words";
        var noun = added.Count == 1 ? "word" : "words";
        var shown = string.Join(", ", added.Take(maxShown));
        var more = added.Count > maxShown ? $", … ({added.Count - maxShown} more)" : "";
        return $"Added {added.Count} new vocabulary {noun}: {shown}{more}";
    }

    internal static long Pack(int a, int b) => ((long)a << 21) | (uint)b;
    internal static long Pack(int a, int b, int c) => ((long)a << 42) | ((long)b << 21) | (uint)c;
    internal static (int, int) Unpack2(long key) => ((int)(key >> 21), (int)(key & (MaxWords - 1)));
    internal static (int, int, int) Unpack3(long key) =>
        ((int)(key >> 42), (int)((key >> 21) & (MaxWords - 1)), (int)(key & (MaxWords - 1)));

    private static void Increment<TKey>(Dictionary<TKey, long> counts, TKey key, long by) where TKey : notnull =>
        counts[key] = counts.GetValueOrDefault(key) + by;

    private static void RemoveZeros(Dictionary<long, long> counts)
    {
        foreach (var key in counts.Where(kv => kv.Value == 0).Select(kv => kv.Key).ToList()) counts.Remove(key);
    }
}

/// <param name="Lexicon">The lexicon with the new counts.</param>
/// <param name="AddedWords">Words it did not know before, most frequent first.</param>
public sealed record LexiconUpdate(Lexicon Lexicon, IReadOnlyList<string> AddedWords)
{
    /// <summary>How many times each transcript occurrence was counted.</summary>
    public long Weight { get; init; } = 1;
}
