// The data-quality report: per recording what looks wrong, and how much audio is usable for training. Written as
// Markdown for people and JSON for tools (format "dgtools-quality-report", version 1).
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DgTools.Quality;

/// <summary>A stretch of a recording whose transcript and audio disagree.</summary>
/// <param name="Kind">"poor fit" (transcript words the audio does not support) or "untranscribed" (speech or
/// noise the transcript has no words for).</param>
/// <param name="Expected">The transcript's words there (empty for untranscribed audio).</param>
/// <param name="Heard">What the model's greedy reading found there.</param>
/// <param name="Score">Mean alignment score of the words (natural-log posterior; NaN for untranscribed audio).</param>
public sealed record SuspiciousStretch(string Kind, double Start, double End, string Expected, string Heard, double Score);

/// <summary>One problem with a recording. Blocking problems make the whole recording unusable.</summary>
public sealed record QualityIssue(string Kind, string Detail, bool Blocking);

public sealed record RecordingQuality(
    string Dataset,
    string Audio,
    double DurationSeconds,
    double UsableSeconds,
    int Segments,
    int ExcludedSegments,
    double? MeanWordScore,
    IReadOnlyList<QualityIssue> Issues,
    IReadOnlyList<SuspiciousStretch> Stretches)
{
    public bool Clean => Issues.Count == 0 && Stretches.Count == 0;
}

public sealed record QualityReport(string? ModelId, IReadOnlyList<RecordingQuality> Recordings)
{
    public double TotalSeconds => Recordings.Sum(r => r.DurationSeconds);
    public double UsableSeconds => Recordings.Sum(r => r.UsableSeconds);
    public int RecordingsWithProblems => Recordings.Count(r => !r.Clean);

    /// <summary>One line for autotrain's start and the end of dgtools check.</summary>
    public string Summary =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Recordings.Count} recordings, {Hours(TotalSeconds)} of audio; {Hours(UsableSeconds)} usable ({Share(UsableSeconds, TotalSeconds)}); {RecordingsWithProblems} recordings with problems");

    private static string Hours(double seconds) =>
        seconds >= 3600 ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:F2} h")
        : seconds >= 60 ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:F1} min")
        : string.Create(CultureInfo.InvariantCulture, $"{seconds:F1} s");

    private static string Share(double part, double whole) =>
        whole <= 0 ? "0 %" : string.Create(CultureInfo.InvariantCulture, $"{100 * part / whole:F1} %");

    private static string Time(double seconds) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)(seconds / 60)}:{seconds % 60:00.00}");

    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine("# Data-quality report").AppendLine();
        md.AppendLine(Summary + ".").AppendLine();
        if (ModelId is not null) md.AppendLine($"Aligned with model `{ModelId}`.").AppendLine();
        md.AppendLine("| data set | recording | duration | usable | segments (excluded) | problems |");
        md.AppendLine("|---|---|---:|---:|---:|---|");
        foreach (var r in Recordings)
        {
            var problems = r.Issues.Select(i => i.Kind).Concat(r.Stretches.Count > 0 ? [$"{r.Stretches.Count} suspicious stretches"] : []);
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {Cell(r.Dataset)} | {Cell(r.Audio)} | {r.DurationSeconds:F1} s | {r.UsableSeconds:F1} s | {r.Segments} ({r.ExcludedSegments}) | {Cell(string.Join("; ", problems))} |"));
        }
        foreach (var r in Recordings.Where(r => !r.Clean))
        {
            md.AppendLine().AppendLine($"## {r.Dataset}/{r.Audio}").AppendLine();
            foreach (var issue in r.Issues)
                md.AppendLine($"- **{issue.Kind}**{(issue.Blocking ? " (not used for training)" : "")}: {issue.Detail}");
            if (r.Stretches.Count == 0) continue;
            if (r.Issues.Count > 0) md.AppendLine();
            md.AppendLine("| from | to | kind | transcript says | model heard | score |");
            md.AppendLine("|---|---|---|---|---|---:|");
            foreach (var s in r.Stretches)
                md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {Time(s.Start)} | {Time(s.End)} | {s.Kind} | {Cell(s.Expected)} | {Cell(s.Heard)} | {(double.IsNaN(s.Score) ? "" : s.Score.ToString("F2", CultureInfo.InvariantCulture))} |"));
        }
        return md.ToString();
    }

    public string ToJson()
    {
        var doc = new
        {
            format = "dgtools-quality-report",
            version = 1,
            model_id = ModelId,
            total_seconds = Math.Round(TotalSeconds, 2),
            usable_seconds = Math.Round(UsableSeconds, 2),
            recordings = Recordings.Select(r => new
            {
                dataset = r.Dataset,
                audio = r.Audio,
                duration_seconds = Math.Round(r.DurationSeconds, 2),
                usable_seconds = Math.Round(r.UsableSeconds, 2),
                segments = r.Segments,
                excluded_segments = r.ExcludedSegments,
                mean_word_score = r.MeanWordScore is { } m ? Score(m) : null,
                issues = r.Issues.Select(i => new { kind = i.Kind, detail = i.Detail, blocking = i.Blocking }),
                suspicious = r.Stretches.Select(s => new
                {
                    kind = s.Kind,
                    start = Math.Round(s.Start, 2),
                    end = Math.Round(s.End, 2),
                    expected = s.Expected,
                    heard = s.Heard,
                    score = Score(s.Score),
                }),
            }),
        };
        return JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    // JSON has no infinity: a unit the model gives probability 0 (a letter of another script) scores -∞; written as the
    // lowest score a float posterior can give (log of the smallest float), so readers still sort and threshold it.
    private static double? Score(double score)
    {
        if (double.IsNaN(score)) return null;
        return Math.Round(Math.Max(score, LowestScore), 3);
    }

    private const double LowestScore = -103.28;   // ln(float.Epsilon) = -103.28
}
