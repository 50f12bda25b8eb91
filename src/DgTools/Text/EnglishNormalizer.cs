// English: numbers, ordinals, years, money, percentages and common symbols spelled out the way people say them
// ("42" -> "forty two", "$5.50" -> "five dollars fifty cents", "1999" -> "nineteen ninety nine", "3rd" -> "third").
using System.Text.RegularExpressions;

namespace DgTools.Text;

public sealed partial class EnglishNormalizer() : TextNormalizer(Alphabet.For("en"))
{
    private static readonly string[] Ones =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];
    private static readonly string[] Tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
    private static readonly (long Value, string Name)[] Scales =
        [(1_000_000_000_000, "trillion"), (1_000_000_000, "billion"), (1_000_000, "million"), (1_000, "thousand")];

    private static readonly Dictionary<string, string> Symbols = new()
    {
        ["%"] = "percent", ["&"] = "and", ["+"] = "plus", ["="] = "equals", ["@"] = "at", ["°"] = "degrees",
        ["€"] = "euros", ["£"] = "pounds", ["$"] = "dollars", ["#"] = "number", ["×"] = "times",
    };

    protected override string SpellOut(string text)
    {
        text = Money().Replace(text, m => SpellMoney(m.Groups[2].Value, m.Groups[1].Value));
        text = Percent().Replace(text, m => $" {SpellDecimal(m.Groups[1].Value)} percent ");
        // Past 15 digits a number is read digit by digit (the Number pass below), never parsed: long would overflow.
        text = Ordinal().Replace(text, m => m.Groups[1].Length > 15 ? $" {m.Groups[1].Value} " : $" {OrdinalWords(long.Parse(m.Groups[1].Value))} ");
        text = Number().Replace(text, m => $" {SpellNumber(m.Value)} ");
        foreach (var (symbol, word) in Symbols) text = text.Replace(symbol, $" {word} ");
        return text;
    }

    private static string SpellMoney(string amount, string symbol)
    {
        var parts = amount.Replace(",", "").Split('.');
        var (one, many, cent) = symbol switch { "€" => ("euro", "euros", "cents"), "£" => ("pound", "pounds", "pence"), _ => ("dollar", "dollars", "cents") };
        if (parts[0].Length > 15) return $" {amount} {many} ";
        var whole = long.Parse(parts[0]);
        var words = $" {Cardinal(whole)} {(whole == 1 ? one : many)}";
        if (parts.Length == 2 && parts[1].Length == 2 && int.Parse(parts[1]) > 0)
        {
            int cents = int.Parse(parts[1]);
            words += $" {Cardinal(cents)} {(cents == 1 && cent == "cents" ? "cent" : cent)}";
        }
        else if (parts.Length == 2) words = $" {SpellDecimal(amount)} {many}";
        return words + " ";
    }

    private static string SpellNumber(string digits)
    {
        if (digits.Contains('.')) return SpellDecimal(digits);
        var plain = digits.Replace(",", "");
        if (!digits.Contains(',') && plain.Length == 4 && long.Parse(plain) is >= 1100 and <= 2099 and var year
            && !(year >= 2000 && year < 2010))
            return Year((int)year);
        if (plain.Length > 1 && plain[0] == '0' || plain.Length > 15) return DigitByDigit(plain);
        return Cardinal(long.Parse(plain));
    }

    private static string SpellDecimal(string number)
    {
        var parts = number.Replace(",", "").Split('.');
        var whole = parts[0].Length == 0 ? "zero" : SpellNumber(parts[0]);
        return parts.Length == 1 ? whole : $"{whole} point {DigitByDigit(parts[1])}";
    }

    private static string DigitByDigit(string digits) => string.Join(' ', digits.Select(d => Ones[d - '0']));

    // 1999 -> nineteen ninety nine, 1900 -> nineteen hundred, 1905 -> nineteen oh five, 2024 -> twenty twenty four.
    private static string Year(int year)
    {
        int high = year / 100, low = year % 100;
        if (low == 0) return $"{Cardinal(high)} hundred";
        return low < 10 ? $"{Cardinal(high)} oh {Ones[low]}" : $"{Cardinal(high)} {Cardinal(low)}";
    }

    public static string Cardinal(long n)
    {
        if (n < 0) return "minus " + Cardinal(-n);
        if (n < 20) return Ones[n];
        if (n < 100) return n % 10 == 0 ? Tens[n / 10] : $"{Tens[n / 10]} {Ones[n % 10]}";
        if (n < 1000) return n % 100 == 0 ? $"{Ones[n / 100]} hundred" : $"{Ones[n / 100]} hundred {Cardinal(n % 100)}";
        foreach (var (value, name) in Scales)
        {
            if (n < value) continue;
            var head = $"{Cardinal(n / value)} {name}";
            return n % value == 0 ? head : $"{head} {Cardinal(n % value)}";
        }
        throw new ArgumentOutOfRangeException(nameof(n));
    }

    public static string OrdinalWords(long n)
    {
        var words = Cardinal(n);
        int split = words.LastIndexOf(' ') + 1;
        var last = words[split..];
        var ordinal = last switch
        {
            "one" => "first", "two" => "second", "three" => "third", "five" => "fifth", "eight" => "eighth",
            "nine" => "ninth", "twelve" => "twelfth",
            _ when last.EndsWith('y') => last[..^1] + "ieth",
            _ => last + "th",
        };
        return words[..split] + ordinal;
    }

    // "$5", "€ 3.50" (currency first, as English writes it).
    [GeneratedRegex(@"([$€£])\s?([0-9][0-9,]*(?:\.[0-9]+)?)")]
    private static partial Regex Money();

    [GeneratedRegex(@"([0-9][0-9,]*(?:\.[0-9]+)?)\s?%")]
    private static partial Regex Percent();

    [GeneratedRegex(@"\b([0-9]+)(?:st|nd|rd|th)\b")]
    private static partial Regex Ordinal();

    [GeneratedRegex(@"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]*\.[0-9]+|[0-9]+")]
    private static partial Regex Number();
}
