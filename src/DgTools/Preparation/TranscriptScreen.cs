// Before fine-tuning a trained model, every whole recording's transcript is forced onto the starting model's
// posteriors (TranscriptFit, the check `dgtools check` applies); a transcript that clearly does not belong to its
// audio is skipped with a warning instead of teaching the model something false. Segments of long recordings are
// already screened by their alignment (LongRecordingExamples). An untrained model cannot judge, so nothing is screened.
using DgTools.Alignment;
using DgTools.Quality;
using DgTools.Reporting;
using DgTools.Text;

namespace DgTools.Preparation;

public static class TranscriptScreen
{
    /// <summary>The utterances whose transcripts fit their audio (all of them when none is skipped).</summary>
    public static CachedUtterances Apply(CachedUtterances utterances, IPosteriorSource model, string language, IRunReporter reporter,
        CancellationToken cancel = default, QualityCheckOptions? options = null)
    {
        options ??= new QualityCheckOptions();
        var normalizer = TextNormalizer.For(language);
        var keep = new List<int>();
        for (var i = 0; i < utterances.Count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            var e = utterances.Examples[i];
            if (e.Span is not null) { keep.Add(i); continue; }
            var fit = TranscriptFit.Measure(model.Compute(e.AudioPath), e.Text, normalizer, options);
            if (fit.Matches(options)) { keep.Add(i); continue; }
            var text = e.Text.Length > 40 ? e.Text[..37] + "..." : e.Text;
            reporter.Warning($"transcript \"{text}\" does not match the audio ({fit.PoorShare * 100:F0}% of its words do not fit under the " +
                             $"starting model; `dgtools check` lists such recordings); skipped ({e.AudioPath})");
        }
        return keep.Count == utterances.Count ? utterances : utterances.Keep(keep);
    }
}
