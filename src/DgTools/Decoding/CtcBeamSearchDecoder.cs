// CTC prefix beam search with the word language model applied when a word ends (at the separator unit and at the
// end of the utterance). Each hypothesis is a node in a prefix tree of unit sequences, holding its probability of
// ending in a blank (pb) and in a unit (pnb) and the language-model part of its score. The word being spelled is
// tracked in the VocabularyTrie; the moment it can no longer become a known word it pays the unknown-word penalty
// once, then the unknown-unit penalty for every unit it spells outside the vocabulary (without that, one long
// "word" that swallows the spaces of several would pay less than the words it replaces), and when it ends it is
// scored as <unk>. See DecodingOptions for the score. Keywords boosted for one call (KeywordBoost) are a second
// prefix tree walked beside the vocabulary's: a word on its way to a keyword is not unknown, and earns its bonus.
using DgTools.Language;

namespace DgTools.Decoding;

public sealed class CtcBeamSearchDecoder
{
    private readonly CtcUnits _units;
    private readonly WordLanguageModel? _lm;
    private readonly VocabularyTrie? _trie;
    private readonly DecodingOptions _options;

    public CtcBeamSearchDecoder(CtcUnits units, WordLanguageModel? lm, DecodingOptions options)
    {
        options.Validate();
        _units = units;
        _lm = lm;
        _options = options;
        _trie = lm is null ? null : new VocabularyTrie(lm.Lexicon, units);
    }

    /// <param name="keywords">Words to boost in this call (built for these units), or null.</param>
    public Transcript Decode(CtcPosteriors posteriors, KeywordBoost? keywords = null)
    {
        if (posteriors.Units != _units.Count)
            throw new ArgumentException($"posteriors have {posteriors.Units} units, the model has {_units.Count}");
        var hypotheses = Search(posteriors, keywords);
        var best = hypotheses[0].Units;
        var path = CtcAlignment.ForcedPath(posteriors, best) ?? CtcAlignment.BestPath(posteriors);
        var transcript = CtcAlignment.WithAgreement(CtcAlignment.ToTranscript(posteriors, path, _units), posteriors, _units);
        return WithHypothesisEvidence(transcript, hypotheses);
    }

    /// <summary>Each word's share of the final beam (<see cref="WordEvidence.Hypotheses"/>), whether the lexicon
    /// knows it and how likely the language model finds it there. The transcript's words are those of the best
    /// hypothesis, in order.</summary>
    private Transcript WithHypothesisEvidence(Transcript transcript, IReadOnlyList<(List<int> Units, double Score)> hypotheses)
    {
        if (transcript.Words.Count == 0) return transcript;
        var best = transcript.Words.Select(w => w.Word).ToArray();
        var posterior = HypothesisPosteriors.Of(hypotheses.Select(h => h.Score).ToArray());
        var share = new double[best.Length];
        for (int h = 0; h < hypotheses.Count; h++)
        {
            var words = h == 0 ? best : Words(hypotheses[h].Units);
            var matched = HypothesisPosteriors.MatchedWords(best, words);
            for (int i = 0; i < best.Length; i++) if (matched[i]) share[i] += posterior[h];
        }
        var lexicon = _lm?.Lexicon;
        var language = new double?[best.Length];
        if (_lm is not null)
        {
            var state = LmState.Start;
            for (int i = 0; i < best.Length; i++)
            {
                int id = _lm.IdOf(best[i]);
                language[i] = _lm.LogProb(state, id);
                state = state.Then(id);
            }
        }
        double? utteranceLanguage = _lm is null ? null : language.Average(l => l!.Value);
        var timed = transcript.Words.Select((w, i) => w with
        {
            Evidence = w.Evidence! with
            {
                Hypotheses = Math.Clamp(share[i], 0, 1),
                InVocabulary = lexicon?.Contains(w.Word),
                LexiconCount = lexicon?.CountOf(w.Word) ?? 0,
                LanguageModel = language[i],
                UtteranceLanguageModel = utteranceLanguage,
            },
        }).ToList();
        return transcript with { Words = timed };
    }

    private string[] Words(List<int> units)
    {
        var words = new List<string>();
        var spelling = new System.Text.StringBuilder();
        foreach (var u in units.Append(_units.Separator))
        {
            if (u != _units.Separator) { spelling.Append(_units[u]); continue; }
            if (spelling.Length > 0) words.Add(_units.Written(spelling.ToString()));
            spelling.Clear();
        }
        return [.. words];
    }

    /// <summary>The final beam's hypotheses, best first: unit sequences and their scores (acoustic + LM + end).</summary>
    internal List<(List<int> Units, double Score)> Search(CtcPosteriors posteriors, KeywordBoost? keywords = null)
    {
        var root = new Prefix(null, -1, LmState.Start, 0, VocabularyTrie.Root, 0, false)
        {
            Pb = 0, Pnb = float.NegativeInfinity, KeywordNode = keywords is null ? KeywordBoost.None : KeywordBoost.Root,
        };
        var beam = new List<Prefix> { root };
        var touched = new List<Prefix>();
        var candidates = new List<int>();
        float unitMin = (float)_options.UnitMinLogProb, prune = (float)_options.BeamPruneLogProb;

        for (int t = 0; t < posteriors.Frames; t++)
        {
            var row = posteriors.Row(t);
            candidates.Clear();
            int argmax = 0;
            for (int u = 1; u < row.Length; u++) if (row[u] > row[argmax]) argmax = u;
            for (int u = 1; u < row.Length; u++) if (row[u] >= unitMin || u == argmax) candidates.Add(u);
            float blank = row[CtcUnits.Blank];
            touched.Clear();

            foreach (var p in beam)
            {
                float total = LogAdd(p.Pb, p.Pnb);
                Accumulate(p, t, touched, total + blank, float.NegativeInfinity);
                if (p.Unit >= 0) Accumulate(p, t, touched, float.NegativeInfinity, p.Pnb + row[p.Unit]);
                foreach (var c in candidates)
                {
                    var child = ChildOf(p, c, keywords);
                    // A repeated unit only starts a new unit after a blank; without one it merges (handled above).
                    float from = c == p.Unit ? p.Pb : total;
                    Accumulate(child, t, touched, float.NegativeInfinity, from + row[c]);
                    // The same units with a word boundary before c: the same acoustics, a different word sequence.
                    if (BoundaryChildOf(p, c, keywords) is { } split) Accumulate(split, t, touched, float.NegativeInfinity, from + row[c]);
                }
            }

            foreach (var p in touched)
            {
                p.Pb = p.NextPb;
                p.Pnb = p.NextPnb;
                p.Score = LogAdd(p.Pb, p.Pnb) + p.LmScore;
            }
            touched.Sort(static (a, b) => b.Score.CompareTo(a.Score));
            float floor = touched[0].Score + prune;
            beam.Clear();
            foreach (var p in touched)
            {
                if (beam.Count >= _options.BeamSize || p.Score < floor) break;
                beam.Add(p);
            }
        }

        var ranked = beam.Select(p => (Prefix: p, Score: (double)(LogAdd(p.Pb, p.Pnb) + p.LmScore + EndScore(p, keywords))))
            .OrderByDescending(x => x.Score).ToList();   // a stable sort: of equal scores the earlier in the beam wins
        return ranked.Select(x => (UnitsOf(x.Prefix), x.Score)).ToList();
    }

    private List<int> UnitsOf(Prefix last)
    {
        var units = new List<int>();
        for (var p = last; p.Parent is not null; p = p.Parent)
        {
            units.Add(p.Unit);
            if (p.BoundaryBefore) units.Add(_units.Separator);
        }
        units.Reverse();
        return units;
    }

    private static void Accumulate(Prefix p, int frame, List<Prefix> touched, float pb, float pnb)
    {
        if (p.Stamp != frame + 1)
        {
            p.Stamp = frame + 1;
            p.NextPb = float.NegativeInfinity;
            p.NextPnb = float.NegativeInfinity;
            touched.Add(p);
        }
        p.NextPb = LogAdd(p.NextPb, pb);
        p.NextPnb = LogAdd(p.NextPnb, pnb);
    }

    private Prefix ChildOf(Prefix p, int unit, KeywordBoost? keywords)
    {
        if (p.Children is not null && p.Children.TryGetValue(unit, out var existing)) return existing;
        Prefix child;
        if (unit == _units.Separator)
        {
            var (state, score) = p.WordLength == 0 ? (p.Lm, p.LmScore) : CompleteWord(p, keywords);
            child = new Prefix(p, unit, state, score, VocabularyTrie.Root, 0, false) { KeywordNode = KeywordRoot(keywords) };
        }
        else
        {
            int keywordNode = keywords?.Child(p.KeywordNode, unit) ?? KeywordBoost.None;
            // Spelling along a keyword earns its bonus; leaving the keyword tree gives back what the word earned.
            float keywordScore = keywordNode != KeywordBoost.None ? keywords!.BonusAt(keywordNode) : -p.KeywordBonus;
            float keywordBonus = keywordNode != KeywordBoost.None ? p.KeywordBonus + keywordScore : 0;
            if (_trie is null)
            {
                child = new Prefix(p, unit, p.Lm, p.LmScore + keywordScore, VocabularyTrie.None, p.WordLength + 1, false);
            }
            else
            {
                int node = _trie.Child(p.TrieNode, unit);
                bool known = node != VocabularyTrie.None || keywordNode != KeywordBoost.None;
                bool leaves = !known && !p.PartialUnknown;
                float score = p.LmScore + keywordScore
                    + (leaves ? (float)_options.UnknownWordPenalty : 0)
                    + (known ? 0 : (float)_options.UnknownUnitPenalty);
                child = new Prefix(p, unit, p.Lm, score, node, p.WordLength + 1, p.PartialUnknown || leaves);
            }
            child.KeywordNode = keywordNode;
            child.KeywordBonus = keywordBonus;
        }
        (p.Children ??= []).Add(unit, child);
        return child;
    }

    private static int KeywordRoot(KeywordBoost? keywords) => keywords is null ? KeywordBoost.None : KeywordBoost.Root;

    /// <summary>
    /// The hypothesis "the word spelled so far ends here and <paramref name="unit"/> starts the next one" (an implicit
    /// word boundary), when the word is a vocabulary word and a vocabulary word (or keyword) starts with the unit; else
    /// null. A keyword the vocabulary lacks never ends without a separator: its bonus would buy false splits.
    /// Kept beside the ordinary child under the key unit + units-count.
    /// </summary>
    private Prefix? BoundaryChildOf(Prefix p, int unit, KeywordBoost? keywords)
    {
        if (_trie is null || double.IsNegativeInfinity(_options.ImplicitBoundaryPenalty) || p.WordLength == 0 || p.PartialUnknown
            || unit == _units.Separator || _trie.WordAt(p.TrieNode) < 0)
            return null;
        int next = _trie.Child(VocabularyTrie.Root, unit);
        int keywordNext = keywords?.Child(KeywordBoost.Root, unit) ?? KeywordBoost.None;
        if (next == VocabularyTrie.None && keywordNext == KeywordBoost.None) return null;
        int key = unit + _units.Count;
        if (p.Children is not null && p.Children.TryGetValue(key, out var existing)) return existing;
        var (state, score) = CompleteWord(p, keywords);
        float keywordScore = keywords?.BonusAt(keywordNext) ?? 0;
        var child = new Prefix(p, unit, state, score + keywordScore + (float)_options.ImplicitBoundaryPenalty, next, 1, false)
        {
            BoundaryBefore = true, KeywordNode = keywordNext, KeywordBonus = keywordScore,
        };
        (p.Children ??= []).Add(key, child);
        return child;
    }

    /// <summary>The LM state and score after the word being spelled in <paramref name="p"/> ends.</summary>
    private (LmState, float) CompleteWord(Prefix p, KeywordBoost? keywords)
    {
        bool keyword = keywords?.EndsKeyword(p.KeywordNode) == true;
        // A word that ends part-way along a keyword gives back the bonus it earned on the way.
        float score = p.LmScore - (keyword ? 0 : p.KeywordBonus) + (keywords?.EndPenaltyAt(p.KeywordNode) ?? 0);
        if (_lm is null || _trie is null) return (p.Lm, score + (float)_options.WordInsertionBonus);
        int word = _trie.WordAt(p.TrieNode);
        if (word < 0)
        {
            word = Lexicon.Unknown;
            // A word that stops part-way through a vocabulary word ("fatalit") never left the vocabulary's spellings,
            // so it has not paid the unknown-word penalty yet; one that did leave them has. A keyword is known.
            if (!p.PartialUnknown && !keyword) score += (float)_options.UnknownWordPenalty;
        }
        score += (float)(_options.LmWeight * _lm.LogProb(p.Lm, word) + _options.WordInsertionBonus);
        return (p.Lm.Then(word), score);
    }

    /// <summary>What ending the utterance adds: the last word, then the sentence end.</summary>
    private float EndScore(Prefix p, KeywordBoost? keywords)
    {
        var (state, score) = p.WordLength == 0 ? (p.Lm, p.LmScore) : CompleteWord(p, keywords);
        if (_lm is not null) score += (float)(_options.LmWeight * _lm.LogProb(state, Lexicon.SentenceEnd));
        return score - p.LmScore;
    }

    private static float LogAdd(float a, float b)
    {
        if (a < b) (a, b) = (b, a);
        if (float.IsNegativeInfinity(b)) return a;
        return a + MathF.Log(1 + MathF.Exp(b - a));
    }

    private sealed class Prefix(Prefix? parent, int unit, LmState lm, float lmScore, int trieNode, int wordLength, bool partialUnknown)
    {
        public Prefix? Parent { get; } = parent;
        public int Unit { get; } = unit;
        public LmState Lm { get; } = lm;
        public float LmScore { get; } = lmScore;
        public int TrieNode { get; } = trieNode;
        public int WordLength { get; } = wordLength;
        public bool PartialUnknown { get; } = partialUnknown;
        /// <summary>A word ended before this unit without a separator (an implicit word boundary).</summary>
        public bool BoundaryBefore { get; init; }
        /// <summary>Where the word being spelled is in the keyword tree (KeywordBoost.None: on no keyword's way).</summary>
        public int KeywordNode = KeywordBoost.None;
        /// <summary>The keyword bonus the word being spelled has earned so far (given back if it is no keyword).</summary>
        public float KeywordBonus;
        public Dictionary<int, Prefix>? Children;
        public float Pb = float.NegativeInfinity, Pnb = float.NegativeInfinity, NextPb, NextPnb, Score;
        public int Stamp;
    }
}
