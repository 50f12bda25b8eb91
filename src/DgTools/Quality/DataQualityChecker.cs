// Looks at every recording of the data sets a run uses and says what is wrong with it: transcripts that do not match
// their audio (all of it or stretches), text in another language or script, duplicated audio files, clipping,
// silence-only audio. With a model, recordings are aligned (reusing resource_properties/) so the report can show what
// the model heard where the transcript disagrees; without one, only the audio and text checks run.
using System.Globalization;
using DgTools.Alignment;
using DgTools.Audio;
using DgTools.Data;
using DgTools.Preparation;
using DgTools.Reporting;
using DgTools.Text;

namespace DgTools.Quality;

public sealed class DataQualityChecker(RecordingAligner? aligner, TextNormalizer normalizer, QualityCheckOptions options,
    IRunReporter reporter)
{
    /// <summary>Checks every pair discovery found, long recordings included.</summary>
    public QualityReport Check(DiscoveryResult discovery)
    {
        var directories = discovery.Datasets.ToDictionary(d => d.Name, d => d.Directory);
        var recordings = discovery.Utterances.Concat(discovery.LongRecordings)
            .OrderBy(u => u.SourceId, StringComparer.Ordinal)
            .Select(u => (u.Dataset, new LongRecording(u.AudioPath, u.RawText, directories[u.Dataset])))
            .ToList();
        return Check(recordings);
    }

    public QualityReport Check(IReadOnlyList<(string Dataset, LongRecording Recording)> recordings)
    {
        var results = new List<(RecordingQuality Quality, string? Hash)>();
        for (var i = 0; i < recordings.Count; i++)
        {
            reporter.Progress(new ProgressSnapshot("check", i, recordings.Count, "recordings"));
            results.Add(CheckOne(recordings[i].Dataset, recordings[i].Recording));
        }
        reporter.Progress(new ProgressSnapshot("check", recordings.Count, recordings.Count, "recordings"));
        return new QualityReport(aligner?.ModelId, MarkDuplicates(results));
    }

    private (RecordingQuality, string?) CheckOne(string dataset, LongRecording recording)
    {
        var issues = new List<QualityIssue>();
        var relative = Path.GetRelativePath(recording.DatasetDirectory, recording.AudioPath).Replace('\\', '/');
        RecordingQuality Unusable(double duration) =>
            new(dataset, relative, duration, 0, 0, 0, null, issues, []);

        string hash;
        DecodedAudio audio;
        try
        {
            hash = AlignmentStore.HashFile(recording.AudioPath);
            audio = AudioDecoder.Decode(recording.AudioPath);
        }
        catch (Exception e) when (e is AudioError or IOException or UnauthorizedAccessException)
        {
            issues.Add(new QualityIssue("unreadable audio", e.Message, true));
            return (Unusable(0), null);
        }
        var duration = audio.DurationSeconds;

        var clipped = AudioLevels.ClippedShare(audio.Samples);
        if (clipped > options.ClippedSampleShare)
            issues.Add(new QualityIssue("clipping", F($"{100 * clipped:F2} % of samples at full scale"), false));
        var loudest = AudioLevels.LoudestFrameDbfs(audio.Samples, audio.SampleRate);
        if (loudest < options.SilenceDbfs)
        {
            issues.Add(new QualityIssue("silence only",
                double.IsNegativeInfinity(loudest) ? "every sample is zero" : F($"loudest 25 ms is {loudest:F1} dBFS"), true));
            return (Unusable(duration), hash);
        }

        var transcript = TranscriptWords.From(recording.Transcript, normalizer);
        if (transcript.DroppedShare > options.MaxDroppedCharacterShare)
            issues.Add(new QualityIssue("wrong language or character set",
                F($"{100 * transcript.DroppedShare:F0} % of the transcript's letters cannot be written in '{normalizer.Language}'"),
                true));
        if (transcript.Words.Count == 0)
        {
            if (issues.Count(i => i.Blocking) == 0)
                issues.Add(new QualityIssue("empty transcript", "no words left after normalisation", true));
            return (Unusable(duration), hash);
        }
        if (aligner is null || issues.Any(i => i.Blocking))
        {
            var usable = issues.Any(i => i.Blocking) ? 0 : duration;
            var count = duration > options.Segmentation.LongerThanSeconds ? 0 : 1;
            return (new RecordingQuality(dataset, relative, duration, usable, count, 0, null, issues, []), hash);
        }

        RecordingAlignment alignment;
        try { alignment = aligner.AlignOrReuse(recording); }
        catch (DgToolsException e)
        {
            issues.Add(new QualityIssue("alignment failed", e.Message, true));
            return (Unusable(duration), hash);
        }
        if (!alignment.Aligned)
        {
            issues.Add(new QualityIssue("transcript does not fit",
                "the transcript has more letters than the model has output frames for this audio", true));
            return (Unusable(duration), hash);
        }
        var poorWord = options.Segmentation.PoorWordScore;
        var words = alignment.Words;
        var poorShare = words.Count(w => w.Score < poorWord) / (double)words.Count;
        var meanScore = words.Average(w => w.Score);
        var stretches = Stretches(alignment, poorWord);
        if (poorShare > options.MismatchPoorWordShare)
        {
            issues.Add(new QualityIssue("transcript does not match the audio",
                F($"{100 * poorShare:F0} % of its words fit the audio poorly"), true));
            return (new RecordingQuality(dataset, relative, duration, 0, 0, 0, meanScore, issues, stretches), hash);
        }

        if (duration <= options.Segmentation.LongerThanSeconds)
            return (new RecordingQuality(dataset, relative, duration, duration, 1, 0, meanScore, issues, stretches), hash);
        var segments = RecordingSegmenter.Cut(alignment, options.Segmentation);
        var usableSeconds = segments.Where(s => s.Usable).Sum(s => s.Duration);
        return (new RecordingQuality(dataset, relative, duration, usableSeconds, segments.Count,
            segments.Count(s => !s.Usable), meanScore, issues, stretches), hash);
    }

    /// <summary>Runs of poorly fitting words (a single good word inside a run does not end it), and untranscribed audio.</summary>
    internal IReadOnlyList<SuspiciousStretch> Stretches(RecordingAlignment alignment, double poorWord)
    {
        var words = alignment.Words;
        var stretches = new List<(int StartFrame, SuspiciousStretch Stretch)>();
        var i = 0;
        while (i < words.Count)
        {
            if (words[i].Score >= poorWord) { i++; continue; }
            var last = i;
            for (var j = i + 1; j < words.Count; j++)
            {
                if (words[j].Score < poorWord) last = j;
                else if (j > last + 1) break;
            }
            var run = words.Skip(i).Take(last - i + 1).ToList();
            // What the model heard between the neighbouring words, where the audio for this text should be.
            var from = i > 0 ? words[i - 1].EndFrame : 0;
            var to = last + 1 < words.Count ? words[last + 1].StartFrame : alignment.Frames;
            stretches.Add((run[0].StartFrame, new SuspiciousStretch("poor fit", alignment.Seconds(run[0].StartFrame),
                alignment.Seconds(run[^1].EndFrame), string.Join(' ', run.Select(w => w.Text)),
                alignment.HeardBetween(from, to), run.Average(w => w.Score))));
            i = last + 1;
        }
        foreach (var g in alignment.Untranscribed)
        {
            if (alignment.Seconds(g.EndFrame - g.StartFrame) < options.MinUntranscribedSeconds) continue;
            var heard = alignment.HeardBetween(g.StartFrame, g.EndFrame);
            if (heard.Length == 0) continue; // noise or silence the model reads as nothing: harmless
            stretches.Add((g.StartFrame, new SuspiciousStretch("untranscribed", alignment.Seconds(g.StartFrame),
                alignment.Seconds(g.EndFrame), "", heard, double.NaN)));
        }
        return stretches.OrderBy(s => s.StartFrame).Select(s => s.Stretch).ToList();
    }

    private static IReadOnlyList<RecordingQuality> MarkDuplicates(List<(RecordingQuality Quality, string? Hash)> results)
    {
        var firstByHash = new Dictionary<string, RecordingQuality>();
        var marked = new List<RecordingQuality>();
        foreach (var (quality, hash) in results)
        {
            if (hash is null || !firstByHash.TryGetValue(hash, out var original))
            {
                if (hash is not null) firstByHash[hash] = quality;
                marked.Add(quality);
                continue;
            }
            marked.Add(quality with
            {
                UsableSeconds = 0,
                Issues = [.. quality.Issues, new QualityIssue("duplicate", $"same audio as {original.Dataset}/{original.Audio}", true)],
            });
        }
        return marked;
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
