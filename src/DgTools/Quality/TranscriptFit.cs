// Does a transcript belong to its (short) recording? The transcript is forced onto the model's posteriors; a word
// whose units the model gives a mean log-posterior below MismatchWordScore does not fit, and a transcript most of
// whose words do not fit does not match its audio. `dgtools check` reports such recordings; autotrain skips them
// (with a warning) when it fine-tunes a trained model. The threshold was tuned on real recordings with known-correct
// and known-wrong transcripts (bench/reliability/check-mismatch.py, docs/reliability.md) so that correct recordings
// are rarely flagged.
using DgTools.Text;

using DgTools.Alignment;

namespace DgTools.Quality;

/// <param name="Aligned">False when the transcript has more letters than the model has output frames for the audio.</param>
/// <param name="PoorShare">Share of the transcript's words that do not fit.</param>
public sealed record TranscriptFitResult(bool Aligned, double PoorShare, int Words)
{
    public bool Matches(QualityCheckOptions options) => Aligned && PoorShare <= options.MismatchPoorWordShare;
}

public static class TranscriptFit
{
    public static TranscriptFitResult Measure(DgTools.Decoding.CtcPosteriors posteriors, string transcript, TextNormalizer normalizer,
        QualityCheckOptions options, AlignmentOptions? alignment = null)
    {
        var words = TranscriptWords.From(transcript, normalizer).Words;
        if (words.Count == 0) return new TranscriptFitResult(true, 0, 0);
        var aligned = new CtcForcedAligner((alignment ?? new AlignmentOptions()) with { SeparatorUnit = Alphabet.SpaceIndex })
            .Align(posteriors, words);
        if (aligned is null) return new TranscriptFitResult(false, 1, words.Count);
        return new TranscriptFitResult(true, aligned.Words.Count(w => w.Score < options.MismatchWordScore) / (double)words.Count, words.Count);
    }

    /// <summary>The same decision from stored word scores (an alignment reused from resource_properties/).</summary>
    public static double PoorShare(IEnumerable<double> wordScores, QualityCheckOptions options)
    {
        var scores = wordScores.ToList();
        return scores.Count == 0 ? 0 : scores.Count(s => s < options.MismatchWordScore) / (double)scores.Count;
    }
}
