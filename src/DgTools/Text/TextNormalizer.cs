// Transcript text -> the text a model is trained on: one pipeline for every language, with the language-specific
// step (numbers and symbols spelled out) in the subclasses. The result contains only the language's alphabet
// letters and single spaces. A character that has no spelling is dropped and reported through `warn` (the caller
// knows the file and line); nothing here throws on user text.
using System.Text;
using System.Text.RegularExpressions;

namespace DgTools.Text;

public abstract partial class TextNormalizer
{
    private static readonly Dictionary<char, string> Decompositions =
        NormalizerLatinTable.Entries.ToDictionary(e => e.Composed, e => e.Decomposed);
    private static readonly Dictionary<string, char> Compositions =
        NormalizerLatinTable.Entries.ToDictionary(e => e.Decomposed, e => e.Composed);

    protected TextNormalizer(Alphabet alphabet) => Alphabet = alphabet;

    public Alphabet Alphabet { get; }

    public string Language => Alphabet.Language;

    public static TextNormalizer For(string language) => language switch
    {
        "en" => new EnglishNormalizer(),
        "es" => new SpanishNormalizer(),
        "nl" => new DutchNormalizer(),
        "ko" => new KoreanNormalizer(),
        _ => throw new ConfigError(
            $"no text normaliser for language '{language}' (supported: {string.Join(", ", Languages.Supported)})"),
    };

    public string Normalize(string raw, Action<string>? warn = null)
    {
        var text = Canonicalize(raw).ToLowerInvariant();
        text = SpellOut(text);
        return MapToAlphabet(text, warn);
    }

    /// <summary>Numbers, currency and symbols into words (lower-case text in, lower-case text out).</summary>
    protected abstract string SpellOut(string text);

    /// <summary>Unicode clean-up that does not depend on the language: full-width forms to ASCII, typographic
    /// quotes and dashes to their plain forms, decomposed Latin letters and conjoining Hangul composed.</summary>
    internal static string Canonicalize(string raw)
    {
        var sb = new StringBuilder(raw.Length);
        foreach (var ch in raw)
        {
            char c = ch;
            if (c >= '\uFF01' && c <= '\uFF5E') c = (char)(c - 0xFEE0);
            else if (c == '\u3000' || char.IsWhiteSpace(c)) c = ' ';
            c = c switch
            {
                '\u2018' or '\u2019' or '\u02BC' or '\u2032' or '`' or '\u00B4' => '\'',
                '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2212' => '-',
                _ => c,
            };
            if (char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.NonSpacingMark && sb.Length > 0
                && TryCompose(sb, c))
                continue;
            sb.Append(c);
        }
        return HangulJamo.Compose(sb.ToString());
    }

    // Folds a combining mark into the letter before it ("e" + U+0301 -> "é"), also a second mark onto a letter
    // that already carries one, when Unicode has a precomposed form.
    private static bool TryCompose(StringBuilder sb, char mark)
    {
        char last = sb[^1];
        var decomposed = (Decompositions.TryGetValue(last, out var d) ? d : last.ToString()) + mark;
        if (!Compositions.TryGetValue(decomposed, out var composed)) return false;
        sb[^1] = composed;
        return true;
    }

    private bool IsKeptLetter(char c) =>
        char.IsLetter(c) && (Alphabet.CanWrite(c) || (Decompositions.TryGetValue(c, out var d) && Alphabet.CanWrite(d[0])));

    private string MapToAlphabet(string text, Action<string>? warn)
    {
        var sb = new StringBuilder(text.Length);
        HashSet<char>? reported = null;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\'')
            {
                // An apostrophe survives only inside a word (don't, o'clock, auto's) and only where it is a unit.
                // Its neighbours must be letters that are kept, else it would stand alone once they are dropped.
                bool inside = i > 0 && IsKeptLetter(text[i - 1]) && i + 1 < text.Length && IsKeptLetter(text[i + 1]);
                sb.Append(inside && Alphabet.CanWrite(c) ? c : ' ');
            }
            else if (Alphabet.CanWrite(c)) sb.Append(c);
            else if (char.IsWhiteSpace(c) || char.IsPunctuation(c) || char.IsSymbol(c) || char.IsSeparator(c)
                     || char.IsControl(c))
                sb.Append(' ');
            else if (char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.NonSpacingMark) { }
            else if (Decompositions.TryGetValue(c, out var d) && Alphabet.CanWrite(d[0])) sb.Append(d[0]);
            else
            {
                reported ??= [];
                if (reported.Add(c))
                    warn?.Invoke($"character '{c}' (U+{(int)c:X4}) cannot be written with {Language} units; dropped");
                sb.Append(' ');
            }
        }
        // Dropping a mark can bring conjoining jamo together; compose them as Canonicalize would (idempotence).
        return HangulJamo.Compose(MultipleSpaces().Replace(sb.ToString(), " ").Trim());
    }

    [GeneratedRegex(" {2,}")]
    private static partial Regex MultipleSpaces();
}
