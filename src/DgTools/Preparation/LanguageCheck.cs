// Are the data sets in the model's language? A Spanish model pointed at English recordings would otherwise train on
// them and add their words to its vocabulary. Autotrain asks before anything is written (before the split registry
// and the feature cache), from the transcripts:
//   - the share of their letters the language cannot spell at all (another script), and
//   - the share of their running words that are among the most frequent words of the model's vocabulary. Running text
//     in any language is half function words ("the", "my", "de", "een"), so data in the model's language scores high
//     even when it is full of new domain words, while another language's function words are not among the model's
//     common words (its vocabulary may know some of them as rare loanwords, which is why "known at all" is not used).
// The audio was tried as a second signal and left out: with the bundled models, transcripts of real speech in the
// right language fit no better than another language's (docs/reliability.md). The thresholds and the model x data
// matrix they were chosen on: docs/reliability.md (bench/reliability/language-matrix.py).
using System.Globalization;
using DgTools.Alignment;
using DgTools.Data;
using DgTools.Language;
using DgTools.Text;

namespace DgTools.Preparation;

/// <summary>What the check saw in the transcripts.</summary>
/// <param name="CommonWords">Running words among the model vocabulary's <see cref="LanguageCheckOptions.CommonWords"/> most frequent.</param>
/// <param name="KnownWords">Running words in the model's vocabulary at all (reported, not decided on).</param>
public sealed record LanguageEvidence(string Language, int RunningWords, int CommonWords, int KnownWords, int Letters, int DroppedLetters)
{
    public double CommonShare => RunningWords == 0 ? 1 : CommonWords / (double)RunningWords;
    public double KnownShare => RunningWords == 0 ? 1 : KnownWords / (double)RunningWords;
    public double DroppedShare => Letters + DroppedLetters == 0 ? 0 : DroppedLetters / (double)(Letters + DroppedLetters);

    /// <summary>The figures in words, for the log line and the error.</summary>
    public string Describe(LanguageCheckOptions options)
    {
        var words = F($"{CommonShare:P0} of the transcripts' {RunningWords:N0} running words are among the model's {options.CommonWords:N0} most frequent words ({KnownShare:P0} are in its vocabulary at all)");
        return DroppedShare > 0 ? F($"{DroppedShare:P0} of their letters cannot be written in '{Language}'; ") + words : words;
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

public sealed record LanguageCheckOptions
{
    /// <summary>How many of the vocabulary's most frequent words count as the language's common words.</summary>
    public int CommonWords { get; init; } = 1000;
    /// <summary>Below this share of common running words the data is in another language. Measured: 0.49–0.84 for data
    /// in the model's language (FSDD digits the lowest), 0.00–0.12 for another language.</summary>
    public double MinCommonShare { get; init; } = 0.25;
    /// <summary>Above this share of letters the language cannot spell, the data is in another script (as `dgtools check`
    /// flags a single transcript).</summary>
    public double MaxDroppedShare { get; init; } = 0.2;
    /// <summary>Fewer running words than this say too little about a language; the check passes.</summary>
    public int MinRunningWords { get; init; } = 20;
    /// <summary>A vocabulary smaller than this (a test model's) says too little about a language; the check passes.</summary>
    public int MinVocabulary { get; init; } = 1000;
}

public static class LanguageCheck
{
    /// <summary>The figures over every discovered transcript (long recordings' too).</summary>
    public static LanguageEvidence Measure(DiscoveryResult discovery, Lexicon lexicon, TextNormalizer normalizer, LanguageCheckOptions options)
    {
        var common = lexicon.VocabularyWords.OrderByDescending(lexicon.CountOf).ThenBy(w => w, StringComparer.Ordinal)
            .Take(options.CommonWords).ToHashSet(StringComparer.Ordinal);
        int running = 0, inCommon = 0, known = 0, letters = 0, dropped = 0;
        foreach (var u in discovery.Utterances.Concat(discovery.LongRecordings))
        {
            var words = TranscriptWords.From(u.RawText, normalizer);
            letters += words.LetterCount;
            dropped += words.DroppedCharacters;
            foreach (var w in words.Words)
            {
                running++;
                if (common.Contains(w.Text)) inCommon++;
                if (lexicon.Contains(w.Text)) known++;
            }
        }
        return new LanguageEvidence(normalizer.Language, running, inCommon, known, letters, dropped);
    }

    /// <summary>False when the data is not in the model's language; true also when there is too little to tell.</summary>
    public static bool Matches(LanguageEvidence evidence, Lexicon lexicon, LanguageCheckOptions options)
    {
        if (evidence.DroppedShare > options.MaxDroppedShare) return false;
        if (evidence.RunningWords < options.MinRunningWords || lexicon.VocabularySize < options.MinVocabulary) return true;
        return evidence.CommonShare >= options.MinCommonShare;
    }

    /// <summary>The run cannot go on: the data sets are not in the model's language.</summary>
    public static DatasetError Mismatch(LanguageEvidence evidence, LanguageCheckOptions options, DiscoveryResult discovery, string root) =>
        new($"the data sets do not look like '{evidence.Language}', the model's language: {evidence.Describe(options)}; " +
            "train a model of the data's language, or pass --language-check false to train this one anyway",
            discovery.Datasets.Count == 1 ? discovery.Datasets[0].Directory : root);
}
