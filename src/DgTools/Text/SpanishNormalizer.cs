// Spanish: diacritics kept (á é í ó ú ü ñ), numbers spelled out with Spanish separators ("1.234,5" -> "mil
// doscientos treinta y cuatro coma cinco"), "%" -> "por ciento", "1º" -> "primero".
using System.Text.RegularExpressions;

namespace DgTools.Text;

public sealed partial class SpanishNormalizer() : TextNormalizer(Alphabet.For("es"))
{
    private static readonly string[] UpToTwentyNine =
    [
        "cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez", "once", "doce",
        "trece", "catorce", "quince", "dieciséis", "diecisiete", "dieciocho", "diecinueve", "veinte", "veintiuno",
        "veintidós", "veintitrés", "veinticuatro", "veinticinco", "veintiséis", "veintisiete", "veintiocho", "veintinueve",
    ];
    private static readonly string[] Tens = ["", "", "", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa"];
    private static readonly string[] Hundreds =
        ["", "ciento", "doscientos", "trescientos", "cuatrocientos", "quinientos", "seiscientos", "setecientos", "ochocientos", "novecientos"];
    private static readonly string[] Ordinals =
        ["", "primero", "segundo", "tercero", "cuarto", "quinto", "sexto", "séptimo", "octavo", "noveno", "décimo"];

    private static readonly Dictionary<string, string> Symbols = new()
    {
        ["%"] = "por ciento", ["&"] = "y", ["+"] = "más", ["="] = "igual a", ["@"] = "arroba", ["°"] = "grados",
        ["€"] = "euros", ["$"] = "dólares", ["£"] = "libras",
    };

    protected override string SpellOut(string text)
    {
        text = Ordinal().Replace(text, m =>
        {
            if (m.Groups[1].Length > 9) return $" {m.Groups[1].Value} "; // spelled by the Number pass; int would overflow
            int n = int.Parse(m.Groups[1].Value);
            var ordinal = n is > 0 and < 11; // "0º" has no ordinal word (and Ordinals[0] is empty: fuzz finding 6)
            var word = ordinal ? Ordinals[n] : Cardinal(n);
            return $" {(m.Groups[2].Value == "ª" && ordinal ? word[..^1] + "a" : word)} ";
        });
        text = Number().Replace(text, m =>
        {
            var parts = m.Value.Replace(".", "").Split(',');
            var whole = parts[0].Length > 15 ? string.Join(' ', parts[0].Select(d => UpToTwentyNine[d - '0'])) : Cardinal(long.Parse(parts[0]));
            return parts.Length == 1 ? $" {whole} " : $" {whole} coma {string.Join(' ', parts[1].Select(d => UpToTwentyNine[d - '0']))} ";
        });
        foreach (var (symbol, word) in Symbols) text = text.Replace(symbol, $" {word} ");
        return text;
    }

    public static string Cardinal(long n)
    {
        if (n < 30) return UpToTwentyNine[n];
        if (n < 100) return n % 10 == 0 ? Tens[n / 10] : $"{Tens[n / 10]} y {UpToTwentyNine[n % 10]}";
        if (n == 100) return "cien";
        if (n < 1000) return n % 100 == 0 ? Hundreds[n / 100] : $"{Hundreds[n / 100]} {Cardinal(n % 100)}";
        if (n < 1_000_000)
        {
            var head = n / 1000 == 1 ? "mil" : $"{Apocope(Cardinal(n / 1000))} mil";
            return n % 1000 == 0 ? head : $"{head} {Cardinal(n % 1000)}";
        }
        if (n < 1_000_000_000_000)
        {
            var head = n / 1_000_000 == 1 ? "un millón" : $"{Apocope(Cardinal(n / 1_000_000))} millones";
            return n % 1_000_000 == 0 ? head : $"{head} {Cardinal(n % 1_000_000)}";
        }
        var billions = n / 1_000_000_000_000 == 1 ? "un billón" : $"{Apocope(Cardinal(n / 1_000_000_000_000))} billones";
        return n % 1_000_000_000_000 == 0 ? billions : $"{billions} {Cardinal(n % 1_000_000_000_000)}";
    }

    // Before "mil" and "millones", "uno" shortens: "veintiún mil", "treinta y un millones".
    private static string Apocope(string words) =>
        words.EndsWith("veintiuno") ? words[..^1].Replace("veintiun", "veintiún") : words.EndsWith("uno") ? words[..^1] : words;

    [GeneratedRegex(@"\b([0-9]+)\s?([ºª]|\.º|\.ª)")]
    private static partial Regex Ordinal();

    // Spanish writes "1.234.567" for thousands and "3,5" for decimals.
    [GeneratedRegex(@"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?|[0-9]+(?:,[0-9]+)?")]
    private static partial Regex Number();
}
