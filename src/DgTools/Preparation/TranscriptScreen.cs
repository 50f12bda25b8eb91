// Before fine-tuning a trained model, every whole recording's transcript is forced onto the starting model's
// posteriors (TranscriptFit, the check `dgtools check` applies); a transcript that clearly does not belong to its
// audio is skipped with a warning instead of teaching the model something false. Segments of long recordings are
// already screened by their alignment (LongRecordingExamples). An untrained model cannot judge, so nothing is screened.
// The posteriors come from the features already cached for training, in batches (InferenceEngine), not from the audio.
using DgTools.Inference;
using DgTools.Quality;
using DgTools.Training;
using DgTools.Reporting;
using DgTools.Text;

namespace DgTools.Preparation;

public static class TranscriptScreen
{
    /// <summary>The utterances whose transcripts fit their audio (all of them when none is skipped).</summary>
    public static CachedUtterances Apply(CachedUtterances utterances, InferenceEngine model, string language, IRunReporter reporter,
        CancellationToken cancel = default, QualityCheckOptions? options = null)
    {
        options ??= new QualityCheckOptions();
        var normalizer = TextNormalizer.For(language);
        var whole = Enumerable.Range(0, utterances.Count).Where(i => utterances.Examples[i].Span is null).ToList();
        var fits = new TranscriptFitResult?[utterances.Count];
        var done = 0;
        model.Posteriors(new Selection(utterances, whole), (k, _, posteriors) =>
        {
            cancel.ThrowIfCancellationRequested();
            var e = utterances.Examples[whole[k]];
            fits[whole[k]] = TranscriptFit.Measure(posteriors, e.Text, normalizer, options);
            if (++done % 200 == 0 || done == whole.Count)
                reporter.Progress(new ProgressSnapshot("transcript check", done, whole.Count, "recordings"));
        });
        var keep = new List<int>();
        for (var i = 0; i < utterances.Count; i++)
        {
            var e = utterances.Examples[i];
            if (fits[i] is not { } fit || fit.Matches(options)) { keep.Add(i); continue; }
            var text = e.Text.Length > 40 ? e.Text[..37] + "..." : e.Text;
            reporter.Warning($"transcript \"{text}\" does not match the audio ({fit.PoorShare * 100:F0}% of its words do not fit under the " +
                             $"starting model; `dgtools check` lists such recordings); skipped ({e.AudioPath})");
        }
        return keep.Count == utterances.Count ? utterances : utterances.Keep(keep);
    }

    /// <summary>Some of the utterances, by index.</summary>
    private sealed class Selection(CachedUtterances all, IReadOnlyList<int> indices) : IUtteranceSource
    {
        public int Count => indices.Count;
        public int FramesOf(int index) => all.FramesOf(indices[index]);
        public Utterance Load(int index) => all.Load(indices[index]);
    }
}
