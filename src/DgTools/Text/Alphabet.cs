// The output units of a language's CTC model: index 0 is the CTC blank, index 1 the word separator (a space), then
// the letters. Text must be normalised first (TextNormalizer); Encode rejects anything else. Korean units are
// conjoining jamo; Decode recomposes them into syllables, so Decode(Encode(t)) == t for every normalised t.
using System.Text;

namespace DgTools.Text;

public sealed class Alphabet
{
    public const int BlankIndex = 0;
    public const int SpaceIndex = 1;
    public const string BlankUnit = "<blank>";

    private const string EnglishLetters = "abcdefghijklmnopqrstuvwxyz'";
    private const string SpanishLetters = "abcdefghijklmnopqrstuvwxyzáéíóúüñ";
    private const string DutchLetters = "abcdefghijklmnopqrstuvwxyz'áàâäéèêëíîïóôöúûüç";

    private readonly Dictionary<char, int> _index = [];

    private Alphabet(string language, IEnumerable<char> letters)
    {
        Language = language;
        var units = new List<string> { BlankUnit, " " };
        foreach (var c in letters)
        {
            _index[c] = units.Count;
            units.Add(c.ToString());
        }
        Units = units;
    }

    public string Language { get; }

    /// <summary>Unit strings by index; [0] is the blank, [1] the space.</summary>
    public IReadOnlyList<string> Units { get; }

    public int Count => Units.Count;

    public bool IsKorean => Language == "ko";

    public static Alphabet For(string language) => language switch
    {
        "en" => English.Value,
        "es" => Spanish.Value,
        "nl" => Dutch.Value,
        "ko" => Korean.Value,
        _ => throw new ConfigError(
            $"no alphabet for language '{language}' (supported: {string.Join(", ", Languages.Supported)})"),
    };

    private static readonly Lazy<Alphabet> English = new(() => new("en", EnglishLetters));
    private static readonly Lazy<Alphabet> Spanish = new(() => new("es", SpanishLetters));
    private static readonly Lazy<Alphabet> Dutch = new(() => new("nl", DutchLetters));
    // Latin letters too: Korean transcripts routinely contain English words and acronyms.
    private static readonly Lazy<Alphabet> Korean = new(() => new("ko", HangulJamo.AllJamo().Concat("abcdefghijklmnopqrstuvwxyz")));

    /// <summary>True for a character that is one unit of this alphabet as written in normalised text (for Korean,
    /// a whole syllable counts: it becomes several units).</summary>
    public bool CanWrite(char c) => c == ' ' || _index.ContainsKey(c) || (IsKorean && HangulJamo.IsSyllable(c));

    public int[] Encode(string normalizedText)
    {
        var text = IsKorean ? HangulJamo.Decompose(normalizedText) : normalizedText;
        var ids = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == ' ') ids[i] = SpaceIndex;
            else if (_index.TryGetValue(c, out var id)) ids[i] = id;
            else throw new ArgumentException(
                $"'{c}' (U+{(int)c:X4}) is not a {Language} unit; normalise the text first", nameof(normalizedText));
        }
        return ids;
    }

    /// <summary>Units to text: blanks are skipped, runs of spaces collapse, Korean jamo recompose into syllables.
    /// (Collapsing CTC repeats is the decoder's job, not this one's.)</summary>
    public string Decode(IEnumerable<int> ids)
    {
        var sb = new StringBuilder();
        foreach (var id in ids)
        {
            if ((uint)id >= (uint)Units.Count) throw new ArgumentOutOfRangeException(nameof(ids), id, $"not a {Language} unit index");
            if (id == BlankIndex) continue;
            if (id == SpaceIndex)
            {
                if (sb.Length > 0 && sb[^1] != ' ') sb.Append(' ');
                continue;
            }
            sb.Append(Units[id]);
        }
        if (sb.Length > 0 && sb[^1] == ' ') sb.Length--;
        return IsKorean ? HangulJamo.Compose(sb.ToString()) : sb.ToString();
    }
}
