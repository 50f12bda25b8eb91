// `dgtools evaluate --report DIR`: report.md (summary, per-word recall of the added words, worst utterances, top
// confusions), report.json (the --json document) and PNG plots drawn with ScottPlot: wer.png (WER and CER per
// model), reliability.png (word confidence against accuracy, per model, with the uncalibrated acoustic confidences
// dashed) and, when the models carry their training history, training.png (validation accuracy against samples seen).
using System.Text;
using ScottPlot;

namespace DgTools.Evaluation;

public static class EvaluationReportWriter
{
    public const int WorstUtterances = 10;
    public const int TopConfusions = 15;

    /// <summary>Writes the report files into <paramref name="directory"/>; returns the paths written.</summary>
    public static IReadOnlyList<string> Write(EvaluationReport report, string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        var wer = Path.Combine(directory, "wer.png");
        AtomicFile.WriteAllBytes(wer, ErrorRatePlot(report));
        written.Add(wer);
        string? training = null;
        if (report.Models.Any(m => m.History.Any(h => h.ValidationAccuracy is not null)))
        {
            training = Path.Combine(directory, "training.png");
            AtomicFile.WriteAllBytes(training, TrainingPlot(report));
            written.Add(training);
        }
        string? reliability = null;
        if (report.Models.Any(m => m.Confidence is not null))
        {
            reliability = Path.Combine(directory, "reliability.png");
            AtomicFile.WriteAllBytes(reliability, ReliabilityPlot(report));
            written.Add(reliability);
        }
        var json = Path.Combine(directory, "report.json");
        AtomicFile.WriteAllText(json, report.ToJson(indented: true, perUtterance: true) + "\n");
        written.Add(json);
        var markdown = Path.Combine(directory, "report.md");
        AtomicFile.WriteAllText(markdown, Markdown(report, Path.GetFileName(wer), training is null ? null : Path.GetFileName(training),
            reliability is null ? null : Path.GetFileName(reliability)));
        written.Add(markdown);
        return written;
    }

    public static string Markdown(EvaluationReport report, string? werPlot = "wer.png", string? trainingPlot = null, string? reliabilityPlot = null)
    {
        var sb = new StringBuilder();
        sb.Append("# dgtools evaluation\n\n");
        sb.Append($"{report.UtteranceCount} utterances, {report.Models.Count} model(s).\n\n");
        sb.Append("| Model | WER | CER | Words | Sub | Del | Ins | Added-word recall | RTF |\n");
        sb.Append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var m in report.Models)
        {
            var recall = m.AddedWordsRecall is { } r ? EvaluationReport.Percent(r) : "n/a";
            sb.Append($"| {Cell(m.Path)} | {EvaluationReport.Percent(m.Wer)} | {EvaluationReport.Percent(m.Cer)} | " +
                      $"{m.Words.ReferenceLength} | {m.Words.Substitutions} | {m.Words.Deletions} | {m.Words.Insertions} | " +
                      $"{recall} | {m.Rtf:0.000} |\n");
        }
        if (werPlot is not null) sb.Append($"\n![WER and CER per model]({werPlot})\n");
        if (trainingPlot is not null) sb.Append($"\n![Validation accuracy during training]({trainingPlot})\n");
        AppendConfidence(sb, report, reliabilityPlot);

        sb.Append("\n## Added words\n\n");
        if (report.AddedWords.Count == 0)
        {
            sb.Append("The models record no added words.\n");
        }
        else
        {
            sb.Append("Recall of each added word that occurs in the references (recognised / occurrences).\n\n");
            sb.Append("| Word | ").Append(string.Join(" | ", report.Models.Select(m => Cell(Path.GetFileName(m.Path))))).Append(" |\n");
            sb.Append("|---|").Append(string.Concat(report.Models.Select(_ => "---:|"))).Append('\n');
            foreach (var word in report.AddedWords)
            {
                if (!report.Models.Any(m => m.AddedWordRecall.ContainsKey(word))) continue;
                sb.Append($"| {Cell(word)} |");
                foreach (var m in report.Models)
                {
                    var (hits, n) = m.AddedWordRecall.GetValueOrDefault(word);
                    sb.Append(n == 0 ? " n/a |" : $" {hits}/{n} ({EvaluationReport.Percent(hits / (double)n)}) |");
                }
                sb.Append('\n');
            }
            var absent = report.AddedWords.Where(w => !report.Models.Any(m => m.AddedWordRecall.ContainsKey(w))).ToList();
            if (absent.Count > 0) sb.Append($"\nNot in any reference: {string.Join(", ", absent.Select(Cell))}.\n");
        }

        foreach (var m in report.Models)
        {
            sb.Append($"\n## {Cell(m.Path)}\n\n### Worst utterances\n\n");
            var worst = m.Utterances.Where(u => u.Words.Counts.Errors > 0)
                .OrderByDescending(u => u.Words.Counts.Rate).ThenByDescending(u => u.Words.Counts.Errors).ThenBy(u => u.Utterance.Id, StringComparer.Ordinal)
                .Take(WorstUtterances).ToList();
            if (worst.Count == 0) sb.Append("Every utterance was recognised exactly.\n");
            else
            {
                sb.Append("| Utterance | WER | Reference | Hypothesis |\n|---|---:|---|---|\n");
                foreach (var u in worst)
                    sb.Append($"| {Cell(u.Utterance.Id)} | {EvaluationReport.Percent(u.Words.Counts.Rate)} | {Cell(u.Utterance.Reference)} | {Cell(u.Utterance.Hypothesis)} |\n");
            }

            sb.Append("\n### Top confusions\n\n");
            var confusions = m.Utterances.SelectMany(u => u.Words.Pairs)
                .Where(p => p.Operation != EditOperation.Correct)
                .GroupBy(p => (p.Reference ?? "", p.Hypothesis ?? ""))
                .Select(g => (Pair: g.Key, Count: g.Count()))
                .OrderByDescending(x => x.Count).ThenBy(x => x.Pair.Item1, StringComparer.Ordinal).ThenBy(x => x.Pair.Item2, StringComparer.Ordinal)
                .Take(TopConfusions).ToList();
            if (confusions.Count == 0) sb.Append("None.\n");
            else
            {
                sb.Append("| Reference | Recognised as | Count |\n|---|---|---:|\n");
                foreach (var (pair, count) in confusions)
                    sb.Append($"| {(pair.Item1 == "" ? "*(inserted)*" : Cell(pair.Item1))} | {(pair.Item2 == "" ? "*(deleted)*" : Cell(pair.Item2))} | {count} |\n");
            }
        }
        return sb.ToString();
    }

    private static void AppendConfidence(StringBuilder sb, EvaluationReport report, string? reliabilityPlot)
    {
        var measured = report.Models.Where(m => m.Confidence is not null).ToList();
        if (measured.Count == 0) return;
        sb.Append("\n## Word confidence\n\n");
        sb.Append("Do the confidences mean what they say? ECE: expected calibration error over 10 equal bins (0 is perfect); " +
                  "AUROC: how well confidence ranks right words above wrong ones (0.5 is chance); ≥ t: share of recognised words " +
                  "with confidence ≥ t and, in brackets, how many of those were right; r: correlation of an utterance's confidence " +
                  "(mean of its words') with its word accuracy (1 − WER); MAE: their mean absolute difference. " +
                  "\"acoustic\" rows are the uncalibrated confidences the model's map starts from.\n\n");
        sb.Append("| Model | Confidences | Words | Word accuracy | Mean confidence | ECE | AUROC | ≥ 0.5 | ≥ 0.7 | ≥ 0.9 | Utterance r | Utterance MAE |\n");
        sb.Append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var m in measured)
        {
            void Row(string kind, ConfidenceMeasures c)
            {
                sb.Append($"| {Cell(Path.GetFileName(m.Path))} | {kind} | {c.Words} | {Pct(c.Accuracy)} | {Num(c.MeanConfidence)} | {c.Ece:0.000} | " +
                          $"{Num(c.Auroc)} | {string.Join(" | ", c.Thresholds.Select(EvaluationReport.ShareCell))} | " +
                          $"{Num(c.UtteranceCorrelation, "0.00")} | {Num(c.UtteranceMeanAbsoluteError)} |\n");
            }
            if (m.Calibration is null) Row("uncalibrated (the model has no confidence map)", m.Confidence!);
            else
            {
                Row("calibrated", m.Confidence!);
                Row("acoustic", m.AcousticConfidence!);
            }
        }
        foreach (var m in measured.Where(m => m.Calibration is not null))
        {
            var f = m.Calibration!.Fit;
            sb.Append($"\n{Cell(Path.GetFileName(m.Path))}: confidence map fitted on {f.Words} words of {f.Utterances} utterances ({Cell(f.Source)}; " +
                      $"{Pct(f.Accuracy)} of them right).\n");
        }
        if (reliabilityPlot is not null) sb.Append($"\n![Reliability diagram: accuracy against confidence]({reliabilityPlot})\n");
    }

    private static string Pct(double v) => double.IsFinite(v) ? EvaluationReport.Percent(v) : "n/a";
    private static string Num(double? v, string format = "0.000") => v is { } x && double.IsFinite(x) ? x.ToString(format) : "n/a";

    /// <summary>Reliability diagram: per confidence bin, the share of right words against the bins' mean confidence,
    /// per model (the uncalibrated acoustic confidences dashed); a perfectly calibrated model lies on the diagonal.</summary>
    public static byte[] ReliabilityPlot(EvaluationReport report, int width = 700, int height = 600)
    {
        var plot = new Plot();
        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.LineColor = Colors.Gray;
        diagonal.LinePattern = LinePattern.Dotted;
        diagonal.LegendText = "perfect calibration";
        var palette = new ScottPlot.Palettes.Category10();
        int index = 0;
        foreach (var m in report.Models)
        {
            if (m.Confidence is null) continue;
            var color = palette.GetColor(index++);
            void Series(ConfidenceMeasures c, string label, bool dashed)
            {
                var bins = c.Bins.Where(b => b.Count > 0).ToList();
                if (bins.Count == 0) return;
                var line = plot.Add.Scatter(bins.Select(b => b.MeanConfidence).ToArray(), bins.Select(b => b.Accuracy).ToArray());
                line.Color = color;
                line.LegendText = $"{label} (ECE {c.Ece:0.000})";
                if (dashed) line.LinePattern = LinePattern.Dashed;
            }
            var name = Path.GetFileName(m.Path);
            Series(m.Confidence, m.Calibration is null ? name : name + " calibrated", false);
            if (m.Calibration is not null) Series(m.AcousticConfidence!, name + " acoustic", true);
        }
        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        plot.XLabel("word confidence (bin mean)");
        plot.YLabel("share of words right");
        plot.Title("Reliability of word confidences");
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>WER and CER per model, as a PNG.</summary>
    public static byte[] ErrorRatePlot(EvaluationReport report, int width = 800, int height = 450)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        var ticks = new List<Tick>();
        for (int i = 0; i < report.Models.Count; i++)
        {
            var m = report.Models[i];
            bars.Add(new Bar { Position = 3 * i, Value = 100 * m.Wer, FillColor = Colors.SteelBlue, Label = $"{100 * m.Wer:0.0}" });
            bars.Add(new Bar { Position = 3 * i + 1, Value = 100 * m.Cer, FillColor = Colors.Orange, Label = $"{100 * m.Cer:0.0}" });
            ticks.Add(new Tick(3 * i + 0.5, Path.GetFileName(m.Path)));
        }
        var series = plot.Add.Bars(bars);
        series.ValueLabelStyle.FontSize = 12;
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "WER", FillColor = Colors.SteelBlue });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "CER", FillColor = Colors.Orange });
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        plot.Axes.Margins(bottom: 0);
        plot.YLabel("error rate (%)");
        plot.Title($"Error rates on {report.UtteranceCount} utterances");
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>Validation accuracy (and general-domain accuracy) against samples trained, per model, as a PNG.</summary>
    public static byte[] TrainingPlot(EvaluationReport report, int width = 800, int height = 450)
    {
        var plot = new Plot();
        foreach (var m in report.Models)
        {
            var points = m.History.Where(h => h.ValidationAccuracy is not null).ToList();
            if (points.Count == 0) continue;
            var line = plot.Add.Scatter(points.Select(p => (double)p.SamplesSeen).ToArray(), points.Select(p => 100 * p.ValidationAccuracy!.Value).ToArray());
            line.LegendText = Path.GetFileName(m.Path) + " validation";
            var general = m.History.Where(h => h.GeneralAccuracy is not null).ToList();
            if (general.Count > 0)
            {
                var g = plot.Add.Scatter(general.Select(p => (double)p.SamplesSeen).ToArray(), general.Select(p => 100 * p.GeneralAccuracy!.Value).ToArray());
                g.LegendText = Path.GetFileName(m.Path) + " general";
                g.LinePattern = LinePattern.Dashed;
            }
        }
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        plot.XLabel("samples trained");
        plot.YLabel("word accuracy (%)");
        plot.Title("Training history");
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");
}
