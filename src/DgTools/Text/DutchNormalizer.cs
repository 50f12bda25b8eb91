// Dutch: diacritics kept (é, ë, ï, ...), apostrophes inside words kept ("auto's"), numbers spelled out with Dutch
// separators and compounding ("25" -> "vijfentwintig", "22" -> "tweeëntwintig", "3,5" -> "drie komma vijf").
using System.Text.RegularExpressions;

namespace DgTools.Text;

public sealed partial class DutchNormalizer() : TextNormalizer(Alphabet.For("nl"))
{
    private static readonly string[] UpToNineteen =
    [
        "nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf", "twaalf",
        "dertien", "veertien", "vijftien", "zestien", "zeventien", "achttien", "negentien",
    ];
    private static readonly string[] Tens = ["", "", "twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig"];

    private static readonly Dictionary<string, string> Symbols = new()
    {
        ["%"] = "procent", ["&"] = "en", ["+"] = "plus", ["="] = "is", ["@"] = "apenstaartje", ["°"] = "graden",
        ["€"] = "euro", ["$"] = "dollar", ["£"] = "pond",
    };

    protected override string SpellOut(string text)
    {
        text = Number().Replace(text, m =>
        {
            var parts = m.Value.Replace(".", "").Split(',');
            var whole = parts[0].Length > 15 ? Digits(parts[0]) : Cardinal(long.Parse(parts[0]));
            return parts.Length == 1 ? $" {whole} " : $" {whole} komma {Digits(parts[1])} ";
        });
        foreach (var (symbol, word) in Symbols) text = text.Replace(symbol, $" {word} ");
        return text;
    }

    private static string Digits(string digits) => string.Join(' ', digits.Select(d => UpToNineteen[d - '0']));

    public static string Cardinal(long n)
    {
        if (n < 20) return UpToNineteen[n];
        if (n < 100)
        {
            if (n % 10 == 0) return Tens[n / 10];
            var unit = UpToNineteen[n % 10];
            return unit + (unit.EndsWith('e') ? "ën" : "en") + Tens[n / 10];
        }
        if (n < 1000) return (n / 100 == 1 ? "" : UpToNineteen[n / 100]) + "honderd" + (n % 100 == 0 ? "" : Cardinal(n % 100));
        if (n < 1_000_000)
            return (n / 1000 == 1 ? "" : Cardinal(n / 1000)) + "duizend" + (n % 1000 == 0 ? "" : " " + Cardinal(n % 1000));
        foreach (var (value, name) in new[] { (1_000_000_000_000L, "biljoen"), (1_000_000_000L, "miljard"), (1_000_000L, "miljoen") })
        {
            if (n < value) continue;
            var head = $"{Cardinal(n / value)} {name}";
            return n % value == 0 ? head : $"{head} {Cardinal(n % value)}";
        }
        throw new ArgumentOutOfRangeException(nameof(n));
    }

    // Dutch writes "1.234.567" for thousands and "3,5" for decimals.
    [GeneratedRegex(@"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?|[0-9]+(?:,[0-9]+)?")]
    private static partial Regex Number();
}
