// `RecipeBench plot OUT CSV...`: the recipe comparison's curves for docs/models.md — greedy CER against process CPU
// minutes (the equal-cost axis), one colour per variant: solid on the reserved voices, dashed on the held-out
// sentences of the training voices (OUT-cer.png), and the training loss (OUT-loss.png).
using System.Globalization;
using ScottPlot;

static class RecipePlot
{
    private sealed record Point(string Variant, double CpuMinutes, double Loss, double CerSentences, double CerVoices);

    public static void Write(string output, IEnumerable<string> csvFiles)
    {
        var runs = csvFiles.SelectMany(Read).GroupBy(p => p.Variant).ToList();
        Save(output + "-cer.png", "greedy CER (%)", "Recipe comparison: CER at equal CPU time", runs, (plot, run) =>
        {
            var voices = plot.Add.Scatter(run.Select(p => p.CpuMinutes).ToArray(), run.Select(p => 100 * p.CerVoices).ToArray());
            voices.LegendText = run.Key + " (reserved voices)";
            var sentences = plot.Add.Scatter(run.Select(p => p.CpuMinutes).ToArray(), run.Select(p => 100 * p.CerSentences).ToArray());
            sentences.LegendText = run.Key + " (held-out sentences)";
            sentences.LinePattern = LinePattern.Dashed;
            sentences.Color = voices.Color;
        });
        Save(output + "-loss.png", "training loss", "Recipe comparison: training loss", runs, (plot, run) =>
            plot.Add.Scatter(run.Select(p => p.CpuMinutes).ToArray(), run.Select(p => p.Loss).ToArray()).LegendText = run.Key);
    }

    private static void Save(string path, string yLabel, string title, List<IGrouping<string, Point>> runs, Action<Plot, IGrouping<string, Point>> add)
    {
        var plot = new Plot();
        foreach (var run in runs) add(plot, run);
        plot.ShowLegend(Alignment.UpperRight);
        plot.XLabel("process CPU minutes");
        plot.YLabel(yLabel);
        plot.Title(title);
        File.WriteAllBytes(path, plot.GetImageBytes(900, 500, ImageFormat.Png));
        Console.WriteLine($"wrote {path}");
    }

    // Data lines only: "variant,step,epoch,cpu_s,train_loss,cer_a,cer_b"; headers and "# ..." notes are skipped.
    private static IEnumerable<Point> Read(string csv) => File.ReadLines(csv)
        .Select(line => line.Split(','))
        .Where(f => f.Length == 7 && double.TryParse(f[3], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        .Select(f => new Point(f[0], Parse(f[3]) / 60, Parse(f[4]), Parse(f[5]), Parse(f[6])));

    private static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
