// A transcript as the aligner sees it: normalised with the language's TextNormalizer, split into words, each word
// spelled in the model's units. Characters the normaliser had to drop (no spelling in this language) are kept as a
// count: many of them means a transcript in another language or script.
using DgTools.Text;

namespace DgTools.Alignment;

public sealed record TranscriptWords(IReadOnlyList<AlignmentWord> Words, int DroppedCharacters, int LetterCount)
{
    /// <summary>Share of the transcript's letters the language cannot spell (0 = all fine).</summary>
    public double DroppedShare => LetterCount + DroppedCharacters == 0 ? 0 : DroppedCharacters / (double)(LetterCount + DroppedCharacters);

    public string NormalizedText => string.Join(' ', Words.Select(w => w.Text));

    public static TranscriptWords From(string rawTranscript, TextNormalizer normalizer)
    {
        var normalized = normalizer.Normalize(rawTranscript);
        // A letter is dropped when the normaliser cannot spell it on its own (é in English becomes e: not dropped).
        var spellable = new Dictionary<char, bool>();
        var dropped = 0;
        foreach (var c in rawTranscript)
        {
            if (!char.IsLetter(c)) continue;
            if (!spellable.TryGetValue(c, out var ok)) spellable[c] = ok = normalizer.Normalize(c.ToString()).Length > 0;
            if (!ok) dropped++;
        }
        var words = normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new AlignmentWord(w, normalizer.Alphabet.Encode(w)))
            .ToList();
        return new TranscriptWords(words, dropped, words.Sum(w => w.Text.Length));
    }
}
