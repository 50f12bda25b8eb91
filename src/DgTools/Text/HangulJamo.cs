// Hangul syllables <-> conjoining jamo (Unicode 3.12 arithmetic). Korean models predict jamo: 68 units instead of
// 11,172 syllables. Decomposition uses the conjoining blocks (choseong U+1100.., jungseong U+1161.., jongseong
// U+11A8..), so every unit has one meaning and recomposition is exact.
using System.Text;

namespace DgTools.Text;

public static class HangulJamo
{
    private const int SyllableBase = 0xAC00, SyllableCount = 11172;
    private const int LeadBase = 0x1100, VowelBase = 0x1161, TailBase = 0x11A7;
    private const int LeadCount = 19, VowelCount = 21, TailCount = 28;

    public static bool IsSyllable(char c) => c >= SyllableBase && c < SyllableBase + SyllableCount;
    public static bool IsLead(char c) => c >= LeadBase && c < LeadBase + LeadCount;
    public static bool IsVowel(char c) => c >= VowelBase && c < VowelBase + VowelCount;
    public static bool IsTail(char c) => c > TailBase && c < TailBase + TailCount;

    /// <summary>The 19 leads, 21 vowels and 27 tails, in code-point order.</summary>
    public static IEnumerable<char> AllJamo() =>
        Enumerable.Range(LeadBase, LeadCount)
            .Concat(Enumerable.Range(VowelBase, VowelCount))
            .Concat(Enumerable.Range(TailBase + 1, TailCount - 1))
            .Select(i => (char)i);

    public static void Decompose(char syllable, StringBuilder into)
    {
        int s = syllable - SyllableBase;
        into.Append((char)(LeadBase + s / (VowelCount * TailCount)));
        into.Append((char)(VowelBase + s % (VowelCount * TailCount) / TailCount));
        if (s % TailCount != 0) into.Append((char)(TailBase + s % TailCount));
    }

    public static string Decompose(string text)
    {
        var sb = new StringBuilder(text.Length * 3);
        foreach (var c in text)
        {
            if (IsSyllable(c)) Decompose(c, sb);
            else sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Joins lead+vowel(+tail) runs into syllables; any jamo that does not fit a syllable stays as it is.</summary>
    public static string Compose(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (IsLead(c) && i + 1 < text.Length && IsVowel(text[i + 1]))
            {
                int s = ((c - LeadBase) * VowelCount + (text[i + 1] - VowelBase)) * TailCount;
                i++;
                if (i + 1 < text.Length && IsTail(text[i + 1])) { s += text[i + 1] - TailBase; i++; }
                sb.Append((char)(SyllableBase + s));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
