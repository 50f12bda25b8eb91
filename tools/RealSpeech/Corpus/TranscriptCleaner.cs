// Game and prompt subtitles -> the sentence that was spoken. Subtitles carry things a recogniser must not learn:
// capitals for emphasis ("At least MY plane"), a leading "..." for a line that continues another, stage directions in
// brackets ("[ascending tones]", "(sigh)"), trademark marks ("Treatment^_"), and lines that are only a grunt ("Hmm.", "Oh!"). The cleaned text is then normalised
// by the language's TextNormalizer, exactly as dgtools normalises a transcript.
using System.Text;
using System.Text.RegularExpressions;
using DgTools.Text;

namespace DgTools.RealSpeech.Corpus;

public sealed partial class TranscriptCleaner(string language)
{
    private readonly TextNormalizer _normalizer = TextNormalizer.For(language);

    /// <summary>Words that carry no lexical content on their own; a line of only these is dropped.</summary>
    private static readonly HashSet<string> Interjections = new(StringComparer.Ordinal)
    {
        "ah", "aah", "aha", "ahh", "argh", "aargh", "eh", "er", "erm", "ha", "hah", "haha", "hahaha", "hm", "hmm", "hmmm",
        "huh", "mm", "mmm", "oh", "ohh", "ooh", "oops", "ow", "ouch", "phew", "pst", "psst", "sh", "shh", "tsk", "uh",
        "uhh", "um", "umm", "ugh", "wow", "whoa", "yikes", "yo", "ach", "aj", "au", "eh", "hè", "hé", "oei", "nou",
        "ay", "eh", "oh", "uf", "uy", "bah", "pff", "grr", "brr",
        // a dog's lines are barks: "Grrrrr", "Aroof wooof", "Rowr woof woof"
        "gr", "woof", "wof", "aroof", "arof", "ruff", "ruf", "rowr", "whoof", "whof", "arf",
    };

    /// <summary>The text to train on, or null when nothing trainable is left (empty, a stage direction, one
    /// interjection).</summary>
    public string? Clean(string raw)
    {
        var text = Unmark(raw);
        var normalized = _normalizer.Normalize(text);
        if (normalized.Length == 0) return null;
        var words = normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.All(IsInterjection)) return null;
        return normalized;
    }

    /// <summary>Removes the markup but keeps case and punctuation (for the manifest and for reading).</summary>
    public static string Unmark(string raw)
    {
        var text = Bracketed().Replace(raw, " ");
        text = LeadingDots().Replace(text, "");
        text = Ellipsis().Replace(text, ", ");
        text = DeEmphasize(text);
        return Spaces().Replace(text, " ").Trim(' ', ',', ';');
    }

    /// <summary>Lower-cases words written in capitals for emphasis; an all-capital line (a shout) is lower-cased whole,
    /// "I" and short acronym-like words inside mixed-case lines are kept.</summary>
    internal static string DeEmphasize(string text)
    {
        int lower = text.Count(char.IsLower), upper = text.Count(char.IsUpper);
        if (upper > 0 && lower == 0) return Capitalize(text.ToLowerInvariant());
        return CapitalWord().Replace(text, m => m.Value.Length >= 2 ? m.Value.ToLowerInvariant() : m.Value);
    }

    private static string Capitalize(string text)
    {
        var sb = new StringBuilder(text);
        for (int i = 0; i < sb.Length; i++)
            if (char.IsLetter(sb[i])) { sb[i] = char.ToUpperInvariant(sb[i]); break; }
        return sb.ToString();
    }

    /// <summary>"oh", and drawn-out forms: "ohhh", "aaaaah", "hmmmm" (runs of a letter collapsed), "aaaa".</summary>
    private static bool IsInterjection(string word)
    {
        if (Interjections.Contains(word) || (word.Length >= 2 && word.Distinct().Count() == 1)) return true;
        var collapsed = new StringBuilder(word.Length);
        foreach (var c in word)
            if (collapsed.Length == 0 || collapsed[^1] != c) collapsed.Append(c);
        return collapsed.Length < word.Length && Interjections.Contains(collapsed.ToString());
    }

    [GeneratedRegex(@"\[[^\]]*\]|\{[^}]*\}|<[^>]*>|\([^)]*\)|[\^_]")]
    private static partial Regex Bracketed();

    [GeneratedRegex(@"^\s*(\.\s*){2,}|^\s*…")]
    private static partial Regex LeadingDots();

    [GeneratedRegex(@"\s*(\.\s*){3,}\s*|\s*…\s*")]
    private static partial Regex Ellipsis();

    // Two or more capitals (with apostrophes), not touching a lower-case letter: "MY", "DON'T"; not "McDonald".
    [GeneratedRegex(@"(?<![\p{Ll}\p{Lu}])\p{Lu}[\p{Lu}']+(?![\p{Ll}\p{Lu}])")]
    private static partial Regex CapitalWord();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
