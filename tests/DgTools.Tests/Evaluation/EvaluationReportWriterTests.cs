using DgTools.Evaluation;
using SkiaSharp;
using Xunit;

namespace DgTools.Tests.Evaluation;

public class EvaluationReportWriterTests
{
    [Fact]
    public void Writes_markdown_json_and_plots_that_really_render()
    {
        var dir = Path.Combine(Path.GetTempPath(), "dgtools-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            var written = EvaluationReportWriter.Write(EvaluationReportTests.Example(), dir);

            Assert.Equal(["wer.png", "training.png", "report.json", "report.md"], written.Select(Path.GetFileName));
            foreach (var png in new[] { "wer.png", "training.png" })
            {
                using var bitmap = SKBitmap.Decode(Path.Combine(dir, png));
                Assert.NotNull(bitmap);
                Assert.Equal(800, bitmap.Width);
                Assert.Equal(450, bitmap.Height);
                var colours = new HashSet<SKColor>();
                for (int y = 0; y < bitmap.Height; y += 3)
                    for (int x = 0; x < bitmap.Width; x += 3) colours.Add(bitmap.GetPixel(x, y));
                Assert.True(colours.Count > 20, $"{png} has only {colours.Count} colours: nothing was drawn");
            }

            var markdown = File.ReadAllText(Path.Combine(dir, "report.md"));
            Assert.Contains("![WER and CER per model](wer.png)", markdown);
            Assert.Contains("| zorblax | 0/3 (0.0 %) | 3/3 (100.0 %) |", markdown);
            Assert.Contains("Not in any reference: gizmo.", markdown);
            Assert.Contains("| *(inserted)* | sore | 2 |", markdown);              // the top confusion of general.dg
            Assert.Contains("| u4 | 50.0 % | call zorblax | all zorblax |", markdown); // the trained model's worst

            // report.json: the --json document plus every utterance, as each model heard it.
            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "report.json")));
            var results = json.RootElement.GetProperty("utterance_results");
            Assert.Equal(4, results.GetArrayLength());
            var u4 = results.EnumerateArray().Single(u => u.GetProperty("id").GetString() == "u4");
            Assert.Equal("call zorblax", u4.GetProperty("reference").GetString());
            Assert.Equal("all zorblax", u4.GetProperty("hypotheses")[1].GetString());
            Assert.Equal(1, u4.GetProperty("word_errors")[1].GetInt32());
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
