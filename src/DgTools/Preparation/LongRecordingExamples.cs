// Long recordings in autotrain: each is aligned with the model being trained (as it is at the start of the run) or its
// stored alignment in resource_properties/ is reused, cut into 2–20 s segments at word boundaries, and every segment
// that fits its audio well becomes a training example (the audio file plus a time span; features come from the
// feature cache). The data-quality check `dgtools check` runs on the same recordings and its summary is printed, so a
// recording whose transcript does not match, that is silent, in another language or a duplicate is left out whole.
// An untrained model cannot align: its long recordings are then left out with a message saying how to proceed.
using DgTools.Alignment;
using DgTools.Data;
using DgTools.Quality;
using DgTools.Reporting;
using DgTools.Text;
using DgTools.Training;

namespace DgTools.Preparation;

/// <summary>What autotrain aligns long recordings with: the model being trained, opened only when there are any.</summary>
/// <param name="Untrained">A model that has never been trained hears nothing yet, so its long recordings are skipped.</param>
public sealed record AlignmentModel(Func<IPosteriorSource> Open, bool Untrained);

/// <param name="Recordings">Long recordings found.</param>
/// <param name="Made">Usable segments of recordings aligned in this run.</param>
/// <param name="Reused">Usable segments of recordings whose alignment was reused from resource_properties/.</param>
/// <param name="Dropped">Segments left out: poor alignment score (or a length outside 2–20 s), or their recording
/// had a blocking problem.</param>
/// <param name="UnusedRecordings">Recordings that gave no training segment at all.</param>
public sealed record LongRecordingCounts(int Recordings, int Made, int Reused, int Dropped, int UnusedRecordings)
{
    public int Usable => Made + Reused;
}

/// <param name="BySourceId">Training examples of each long recording (by the recording's source id); recordings
/// that gave none are absent.</param>
public sealed record LongRecordingResult(
    IReadOnlyDictionary<string, IReadOnlyList<TrainingExample>> BySourceId, LongRecordingCounts Counts, QualityReport? Quality);

public static class LongRecordingExamples
{
    /// <summary>Problem recordings listed one per line before the rest is left to `dgtools check`.</summary>
    private const int ListedProblems = 10;

    public static LongRecordingResult Make(IReadOnlyList<Data.Utterance> recordings, IReadOnlyList<DatasetLocation> datasets,
        AlignmentModel? model, string language, FeatureCache cache, IRunReporter reporter, QualityCheckOptions? options = null)
    {
        var empty = new Dictionary<string, IReadOnlyList<TrainingExample>>();
        if (recordings.Count == 0) return new LongRecordingResult(empty, new LongRecordingCounts(0, 0, 0, 0, 0), null);
        var minutes = recordings.Sum(r => r.DurationSeconds ?? 0) / 60;
        if (model is null || model.Untrained)
        {
            reporter.Warning($"{recordings.Count} long recordings ({minutes:F1} min) are not used: " + (model is null
                ? "there is no model to align them with here"
                : "an untrained model cannot align them yet. Train on short recordings first (or start from a trained " +
                  "general model), then run autotrain on the result: it aligns them and trains on their segments"));
            return new LongRecordingResult(empty, new LongRecordingCounts(recordings.Count, 0, 0, 0, recordings.Count), null);
        }

        options ??= new QualityCheckOptions();
        var normalizer = TextNormalizer.For(language);
        var alphabet = Alphabet.For(language);
        var source = model.Open();
        try
        {
            var aligner = new RecordingAligner(source, normalizer, new AlignmentOptions(), reporter.Warning);
            var segmenter = new LongRecordingSegmenter(aligner, options.Segmentation);
            var segmented = new Dictionary<string, SegmentedRecording>();
            for (var i = 0; i < recordings.Count; i++)
            {
                reporter.Progress(new ProgressSnapshot("aligning long recordings", i, recordings.Count, "recordings"));
                var r = recordings[i];
                try { segmented[r.SourceId] = segmenter.Segment(r, datasets); }
                catch (DgToolsException e) { reporter.Warning($"{e.Message}; long recording not used ({e.Path ?? r.AudioPath})"); }
            }
            reporter.Progress(new ProgressSnapshot("aligning long recordings", recordings.Count, recordings.Count, "recordings"));

            // The check reuses the alignments just made (the aligner remembers them) and adds the audio and text checks.
            var directories = datasets.ToDictionary(d => d.Name, d => d.Directory);
            var quality = new DataQualityChecker(aligner, normalizer, options, reporter).Check(recordings
                .Select(r => (r.Dataset, new LongRecording(r.AudioPath, r.RawText, directories[r.Dataset]))).ToList());
            var blocked = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < recordings.Count; i++)
                if (quality.Recordings[i].Issues.Any(issue => issue.Blocking)) blocked.Add(recordings[i].SourceId);

            var examples = new Dictionary<string, IReadOnlyList<TrainingExample>>();
            int made = 0, reused = 0, dropped = 0;
            foreach (var r in recordings)
            {
                if (!segmented.TryGetValue(r.SourceId, out var s)) continue;
                var usable = blocked.Contains(r.SourceId) ? [] : s.Usable.ToList();
                var kept = usable.Count == 0 ? [] : Examples(r, s, usable, alphabet, cache, reporter);
                dropped += s.Segments.Count - kept.Count;
                if (kept.Count == 0) continue;
                examples[r.SourceId] = kept;
                if (s.Alignment is not null && aligner.MadeNow(s.Recording)) made += kept.Count;
                else reused += kept.Count;
            }
            var counts = new LongRecordingCounts(recordings.Count, made, reused, dropped, recordings.Count - examples.Count);
            Report(quality, counts, reporter);
            return new LongRecordingResult(examples, counts, quality);
        }
        finally
        {
            (source as IDisposable)?.Dispose();
        }
    }

    private static List<TrainingExample> Examples(Data.Utterance recording, SegmentedRecording segmented,
        IReadOnlyList<Segment> usable, Alphabet alphabet, FeatureCache cache, IRunReporter reporter)
    {
        // A recording short enough to be used whole has no alignment; its span is the whole file.
        var hash = segmented.Alignment?.AudioHash ?? AlignmentStore.HashFile(recording.AudioPath);
        var spans = usable.Select(s => new AudioSpan(s.Start, s.End, hash)).ToList();
        IReadOnlyList<CachedEntry> features;
        try { features = cache.EnsureSegments(recording.AudioPath, spans); }
        catch (DgToolsException e)
        {
            reporter.Warning($"{e.Message}; long recording not used ({e.Path ?? recording.AudioPath})");
            return [];
        }
        var kept = new List<TrainingExample>();
        for (var i = 0; i < usable.Count; i++)
        {
            var labels = alphabet.Encode(usable[i].Text);
            if (labels.Length == 0 || features[i].Frames == 0) continue;
            kept.Add(new TrainingExample(spans[i].IdWithin(recording.SourceId), recording.AudioPath, usable[i].Text, labels,
                features[i].Frames, spans[i]));
        }
        return kept;
    }

    private static void Report(QualityReport quality, LongRecordingCounts counts, IRunReporter reporter)
    {
        reporter.Info($"Long recordings: {quality.Summary}.");
        var problems = quality.Recordings.Where(r => !r.Clean).ToList();
        foreach (var r in problems.Take(ListedProblems))
        {
            var what = r.Issues.Select(i => i.Kind).Concat(r.Stretches.Count > 0 ? [$"{r.Stretches.Count} suspicious stretches"] : []);
            var used = r.Issues.Any(i => i.Blocking) ? "not used" : $"{r.ExcludedSegments} of {r.Segments} segments left out";
            reporter.Warning($"{r.Dataset}/{r.Audio}: {string.Join("; ", what)} ({used})");
        }
        if (problems.Count > ListedProblems)
            reporter.Warning($"... and {problems.Count - ListedProblems} more long recordings with problems");
        if (problems.Count > 0)
            reporter.Info("`dgtools check MODEL` writes the full report: where each transcript and its audio disagree, and what the model heard there.");
        reporter.Info($"Long recordings: {counts.Recordings} gave {counts.Usable} training segments " +
                      $"({counts.Made} from alignments made now, {counts.Reused} reused from resource_properties/); " +
                      $"{counts.Dropped} segments dropped (poor alignment score, or a problem of the whole recording listed above).");
        if (counts.Usable == 0)
            reporter.Warning("the model cannot align the long recordings yet: every segment fits its audio poorly, so none " +
                             "is trained on. Train on short recordings first (or start from a trained general model), then run " +
                             "autotrain on the result to align them again with the better model");
    }
}
