// Korean: Hangul syllables kept (the alphabet splits them into jamo), Latin letters kept for English words,
// numbers read in Sino-Korean ("42" -> "사십이", "12,345" -> "만 이천삼백사십오"), "%" -> "퍼센트".
using System.Text;
using System.Text.RegularExpressions;

namespace DgTools.Text;

public sealed partial class KoreanNormalizer() : TextNormalizer(Alphabet.For("ko"))
{
    private const string DigitNames = "영일이삼사오육칠팔구";
    private static readonly string[] SmallUnits = ["", "십", "백", "천"];
    private static readonly string[] LargeUnits = ["", "만", "억", "조"];

    private static readonly Dictionary<string, string> Symbols = new()
    {
        ["%"] = "퍼센트", ["&"] = "앤드", ["+"] = "더하기", ["="] = "는", ["@"] = "골뱅이", ["°"] = "도",
        ["€"] = "유로", ["$"] = "달러", ["£"] = "파운드", ["₩"] = "원",
    };

    protected override string SpellOut(string text)
    {
        text = Number().Replace(text, m =>
        {
            var parts = m.Value.Replace(",", "").Split('.');
            var whole = parts[0].Length > 16 ? Digits(parts[0]) : Cardinal(long.Parse(parts[0]));
            return parts.Length == 1 ? $" {whole} " : $" {whole} 점 {Digits(parts[1])} ";
        });
        foreach (var (symbol, word) in Symbols) text = text.Replace(symbol, $" {word} ");
        return text;
    }

    private static string Digits(string digits) => string.Join(' ', digits.Select(d => DigitNames[d - '0']));

    /// <summary>Sino-Korean reading, a space between groups of four digits (만/억/조), no "일" before 십/백/천 or 만.</summary>
    public static string Cardinal(long n)
    {
        if (n == 0) return "영";
        var groups = new List<string>();
        for (int g = 0; n > 0; g++, n /= 10000)
        {
            int group = (int)(n % 10000);
            if (group == 0) continue;
            var sb = new StringBuilder();
            for (int p = 3; p >= 0; p--)
            {
                int d = group / (int)Math.Pow(10, p) % 10;
                if (d == 0) continue;
                if (d != 1 || p == 0) sb.Append(DigitNames[d]);
                sb.Append(SmallUnits[p]);
            }
            var words = sb.ToString();
            if (g == 1 && words == "일") words = "";
            groups.Insert(0, words + LargeUnits[g]);
        }
        return string.Join(' ', groups);
    }

    [GeneratedRegex(@"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")]
    private static partial Regex Number();
}
