// The vocabulary spelled in the model's units, as a prefix tree: lets the beam search know, one unit at a time,
// whether the word being spelled can still become a known word, and which word it is when it ends.
using DgTools.Language;

namespace DgTools.Decoding;

public sealed class VocabularyTrie
{
    public const int Root = 0;
    public const int None = -1;

    private readonly Dictionary<long, int> _edges = [];
    private readonly List<int> _wordAt = [None];
    private readonly int _unitCount;

    public VocabularyTrie(Lexicon lexicon, CtcUnits units)
    {
        _unitCount = units.Count;
        for (int id = Lexicon.FirstWordId; id < lexicon.Words.Count; id++)
        {
            var spelling = units.Spell(lexicon.Words[id]);
            if (spelling is null) { Unspellable++; continue; }
            int node = Root;
            foreach (var u in spelling)
            {
                long key = (long)node * _unitCount + u;
                if (!_edges.TryGetValue(key, out var child))
                {
                    child = _wordAt.Count;
                    _wordAt.Add(None);
                    _edges[key] = child;
                }
                node = child;
            }
            _wordAt[node] = id;
        }
    }

    /// <summary>Vocabulary words that the units cannot spell (and so can never be recognised).</summary>
    public int Unspellable { get; }

    public int NodeCount => _wordAt.Count;

    /// <summary>The node after <paramref name="unit"/>, or <see cref="None"/> when no vocabulary word continues so.</summary>
    public int Child(int node, int unit) =>
        node >= 0 && _edges.TryGetValue((long)node * _unitCount + unit, out var child) ? child : None;

    /// <summary>The lexicon id of the word that ends at <paramref name="node"/>, or <see cref="None"/>.</summary>
    public int WordAt(int node) => node >= 0 ? _wordAt[node] : None;
}
