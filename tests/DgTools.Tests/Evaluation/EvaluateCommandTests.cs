using System.Text.Json;
using DgTools.Evaluation;
using DgTools.Tests.Alignment;
using DgTools.Tests.Data;
using DgTools.Tests.TestSupport;
using Xunit;

namespace DgTools.Tests.Evaluation;

public class EvaluateCommandTests
{
    private static readonly string[] Texts =
        ["call the pharmacy", "refill my prescription", "the office is closed", "ask for zorblax", "thank you", "see you soon"];

    [Fact]
    public void Compares_models_on_the_same_utterances_as_table_json_and_report()
    {
        using var dir = new TempDirectory();
        var resources = dir.Combine("res");
        var set = Path.Combine(resources, "dgdatasets", "en", "A");
        for (int i = 0; i < Texts.Length; i++) TempResources.Pair(set, $"u{i}", Texts[i], seed: i);
        Assert.Equal(0, CliRunner.Run(dir.Path, resources, "init", "a.dg", "--size", "tiny", "--seed", "1").ExitCode);
        Assert.Equal(0, CliRunner.Run(dir.Path, resources, "init", "b.dg", "--size", "tiny", "--seed", "2").ExitCode);

        var json = CliRunner.Run(dir.Path, resources, "evaluate", "a.dg", "b.dg", "--split", "all", "--json", "--greedy", "--report", "rep",
            "--word-evidence", "words.tsv");

        Assert.True(json.ExitCode == 0, json.Err);
        // Measuring never records a split: only training does (issue #20).
        Assert.False(File.Exists(Path.Combine(resources, ".train_meta", "datasetsplits.meta_jm")));
        using var doc = JsonDocument.Parse(json.Out);
        var root = doc.RootElement;
        Assert.Equal(Texts.Length, root.GetProperty("utterances").GetInt32());
        var models = root.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(["a.dg", "b.dg"], models.Select(m => m.GetProperty("path").GetString()));
        int words = Texts.Sum(t => t.Split(' ').Length);
        foreach (var m in models)
        {
            Assert.Equal(words, m.GetProperty("words").GetInt32());
            Assert.True(m.GetProperty("wer").GetDouble() >= 0);
            Assert.True(m.GetProperty("rtf").GetDouble() > 0);
            Assert.Equal(JsonValueKind.Null, m.GetProperty("added_words_recall").ValueKind);
        }
        Assert.True(File.Exists(dir.Combine("rep", "report.md")));
        Assert.True(File.Exists(dir.Combine("rep", "wer.png")));
        // Word confidences are measured when the models recognised any word.
        foreach (var m in models.Where(m => m.GetProperty("wer").GetDouble() < 1 || m.GetProperty("insertions").GetInt32() > 0))
        {
            Assert.False(m.GetProperty("calibrated").GetBoolean());
            var c = m.GetProperty("confidence");
            Assert.Equal(10, c.GetProperty("reliability").GetArrayLength());
            Assert.Equal(3, c.GetProperty("thresholds").GetArrayLength());
        }
        Assert.True(File.Exists(dir.Combine("rep", "reliability.png")));
        Assert.Contains("## Word confidence", File.ReadAllText(dir.Combine("rep", "report.md")));
        // One row per recognised word of every model (reference words − deletions + insertions), judged.
        var rows = File.ReadAllLines(dir.Combine("words.tsv"));
        Assert.Equal(string.Join('\t', WordEvidenceTable.Columns), rows[0]);
        Assert.Equal(models.Sum(m => words - m.GetProperty("deletions").GetInt32() + m.GetProperty("insertions").GetInt32()), rows.Length - 1);
        Assert.All(rows.Skip(1), r => Assert.Contains(r.Split('\t')[3], new[] { "0", "1" }));

        var table = CliRunner.Run(dir.Path, resources, "evaluate", "a.dg", "b.dg", "--split", "all", "--greedy");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("a.dg", table.Out);
        Assert.Contains($"{Texts.Length} utterances", table.Out);

        var bad = CliRunner.Run(dir.Path, resources, "evaluate", "a.dg", "--split", "test");
        Assert.Equal(2, bad.ExitCode);
    }

    [FsddFact]
    public void A_long_recording_is_recognised_whole_in_chunks()
    {
        // A ~60 s call of real digits (two 30 s chunks at least) next to one short digit; the digits model knows the
        // speaker, so the call must come out mostly right — not skipped, not one broken batch.
        using var dir = new TempDirectory();
        var resources = dir.Combine("res");
        var calls = Path.Combine(resources, "dgdatasets", "calls");
        Directory.CreateDirectory(calls);
        var text = DigitCalls.Write(Path.Combine(calls, "call"), sentences: 20, seed: 3, [4, 5, 6, 7, 8, 9]);
        File.Copy(Path.Combine(DigitsResources.SharedDigits, "3_george_4.wav"), Path.Combine(calls, "short.wav"));
        File.WriteAllText(Path.Combine(calls, "short.txt"), "three\n");
        File.Copy(DigitCalls.AlignerModel, dir.Combine("digits.dg"));

        var r = CliRunner.Run(dir.Path, resources, "evaluate", "digits.dg", "--split", "all", "--json");

        Assert.True(r.ExitCode == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal(2, doc.RootElement.GetProperty("utterances").GetInt32());
        var model = doc.RootElement.GetProperty("models")[0];
        Assert.Equal(text.Split(' ').Length + 1, model.GetProperty("words").GetInt32());
        Assert.InRange(model.GetProperty("wer").GetDouble(), 0, 0.1);
    }
}
