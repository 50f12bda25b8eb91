// The lexicon inside a .dg: read it, store it, and the vocabulary update autotrain makes (unless --top-off) — add the
// training transcripts' words and n-gram counts, record the new words as the model's added_words.
// Count merging (Bacchiani & Roark's MAP adaptation of an n-gram model): a customer's few hundred sentences against a
// general text of millions of words would barely move the language model, so their counts are multiplied until they
// make up a chosen share of all counts — "refill my pantoprazole prescription" then scores like a common phrase, while
// the general text keeps the rest of the mass. The lexicon remembers which counts are the transcripts' (its domain
// layer), so the language model discounts them as the few occurrences they are: multiplied counts discounted as if
// they were thousands of observations would leave a new word's context no mass for any continuation the transcripts
// did not happen to contain.
using DgTools.Model;
using DgTools.Text;

namespace DgTools.Language;

/// <param name="Model">The model with the updated lexicon and added_words.</param>
/// <param name="AddedWords">Words this update added, most frequent first.</param>
/// <param name="Message">The line autotrain prints: <c>Added N new vocabulary words: w1, w2, …</c>.</param>
/// <param name="Weight">How many times each transcript occurrence was counted (count merging; 1: plain counts).</param>
public sealed record VocabularyUpdate(DgModel Model, IReadOnlyList<string> AddedWords, string Message, long Weight);

public static class ModelLexicon
{
    /// <summary>The model's lexicon, or null when it has none (a model made before it was given a vocabulary).</summary>
    public static Lexicon? Read(DgModel model, string? path = null) =>
        model.Sections.TryGetValue(LexiconFormat.MetadataKey, out var text) ? LexiconFormat.Read(text, path) : null;

    /// <summary>The model with <paramref name="lexicon"/> stored in it (a general model: its training text's lexicon).</summary>
    public static DgModel With(DgModel model, Lexicon lexicon)
    {
        var sections = new Dictionary<string, string>(model.Sections, StringComparer.Ordinal)
        {
            [LexiconFormat.MetadataKey] = LexiconFormat.Write(lexicon),
        };
        return model with { Sections = sections };
    }

    /// <summary>
    /// A general model's lexicon from a text file (one sentence a line, as written: it is normalised for
    /// <paramref name="language"/> here; lines that normalise to nothing are skipped).
    /// </summary>
    public static Lexicon FromTextFile(string path, string language, int maxNgrams = Lexicon.DefaultMaxNgrams)
    {
        if (!File.Exists(path)) throw new DatasetError("vocabulary text file not found", path);
        var normalizer = TextNormalizer.For(language);
        var sentences = File.ReadLines(path).Select(line => normalizer.Normalize(line)).Where(s => s.Length > 0);
        return Lexicon.FromTranscripts(sentences, maxNgrams);
    }

    /// <summary>
    /// Adds the words and n-gram counts of <paramref name="normalizedTranscripts"/> (the training split, normalised for
    /// the model's language) to the model's lexicon — with a <paramref name="share"/> above 0 as its domain layer,
    /// weighted so that the transcripts of every round so far make up that share of its counts
    /// (<see cref="Lexicon.WithDomainTranscripts"/>), else as plain counts — prunes it to <paramref name="maxNgrams"/>,
    /// and appends the new words to the model's <c>added_words</c> (earlier rounds' added words are kept, so a model
    /// trained twice still knows what both rounds taught it).
    /// </summary>
    public static VocabularyUpdate AddTranscripts(
        DgModel model, IEnumerable<string> normalizedTranscripts, double share = 0, int maxNgrams = Lexicon.DefaultMaxNgrams,
        string? path = null)
    {
        var lexicon = Read(model, path) ?? Lexicon.Empty;
        var transcripts = normalizedTranscripts.ToList();
        var update = share > 0 && lexicon.TokenCount > 0 ? lexicon.WithDomainTranscripts(transcripts, share) : lexicon.WithTranscripts(transcripts);
        var added = model.Metadata.AddedWords.Concat(update.AddedWords).Distinct(StringComparer.Ordinal).ToList();
        var updated = With(model, update.Lexicon.Pruned(maxNgrams)) with
        {
            Metadata = model.Metadata with { AddedWords = added },
        };
        return new VocabularyUpdate(updated, update.AddedWords, Lexicon.DescribeAddedWords(update.AddedWords), update.Weight);
    }
}
