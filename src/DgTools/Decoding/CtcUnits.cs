// The model's output units as the decoders see them: index 0 is the CTC blank, one unit separates words, the rest
// spell words. Also spells a word as units, for the vocabulary prefix tree. Some languages spell in smaller pieces
// than they write (Korean: conjoining jamo for syllables); the two text forms convert between them.
using DgTools.Text;

namespace DgTools.Decoding;

public sealed class CtcUnits
{
    public const int Blank = 0;
    /// <summary>Symbols accepted as the word separator, in order of preference.</summary>
    public static readonly IReadOnlyList<string> SeparatorSymbols = [" ", "|", "▁"];

    private readonly string[] _units;
    private readonly Dictionary<string, int> _ids;
    private readonly int _longestUnit;
    private readonly Func<string, string> _toSpelled;
    private readonly Func<string, string> _toWritten;

    /// <param name="toSpelled">Written text to the form the units spell (default: unchanged).</param>
    /// <param name="toWritten">Spelled text back to written text (default: unchanged).</param>
    public CtcUnits(IReadOnlyList<string> units, Func<string, string>? toSpelled = null, Func<string, string>? toWritten = null)
    {
        _toSpelled = toSpelled ?? (s => s);
        _toWritten = toWritten ?? (s => s);
        if (units.Count < 2) throw new ArgumentException("need the blank and at least one unit");
        _units = [.. units];
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 1; i < _units.Length; i++)
        {
            if (_units[i].Length == 0) throw new ArgumentException($"unit {i} is empty");
            _ids.TryAdd(_units[i], i);
        }
        Separator = SeparatorSymbols.Select(s => _ids.GetValueOrDefault(s, -1)).FirstOrDefault(i => i > 0, -1);
        if (Separator < 0) throw new ArgumentException("the units have no word separator (' ', '|' or '▁')");
        _longestUnit = _units.Skip(1).Max(u => u.Length);
    }

    /// <summary>The model's units for its language (Korean words are spelled in jamo and written in syllables).</summary>
    public static CtcUnits For(IReadOnlyList<string> units, string language) => language == "ko"
        ? new CtcUnits(units, HangulJamo.Decompose, HangulJamo.Compose)
        : new CtcUnits(units);

    public int Count => _units.Length;
    public int Separator { get; }
    public string this[int id] => _units[id];
    public IReadOnlyList<string> All => _units;

    /// <summary>The word's units (longest match first), or null when some part of it has no unit.</summary>
    public int[]? Spell(string word)
    {
        word = _toSpelled(word);
        var ids = new List<int>(word.Length);
        int pos = 0;
        while (pos < word.Length)
        {
            int found = -1, length = 0;
            for (int len = Math.Min(_longestUnit, word.Length - pos); len >= 1 && found < 0; len--)
            {
                if (_ids.TryGetValue(word.Substring(pos, len), out var id) && id != Separator) { found = id; length = len; }
            }
            if (found < 0) return null;
            ids.Add(found);
            pos += length;
        }
        return [.. ids];
    }

    /// <summary>A word as the units spelled it, in written form.</summary>
    public string Written(string spelled) => _toWritten(spelled);
}
