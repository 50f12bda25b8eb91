using System.Text.Json;
using DgTools.Tests.TestSupport;
using Xunit;

namespace DgTools.Tests.Alignment;

public sealed class CheckCommandTests
{
    private static void MakeDataset(TempDirectory dir)
    {
        var set = dir.Combine("dgdatasets", "calls");
        Directory.CreateDirectory(set);
        TestWav.Write(Path.Combine(set, "a.wav"), TestWav.Tone(2.5, 16000, 0.1), 16000);
        File.WriteAllText(Path.Combine(set, "a.txt"), "hello there");
        File.Copy(Path.Combine(set, "a.wav"), Path.Combine(set, "b.wav"));
        File.WriteAllText(Path.Combine(set, "b.txt"), "hello there");
        TestWav.Write(Path.Combine(set, "quiet.wav"), new float[16000 * 2], 16000);
        File.WriteAllText(Path.Combine(set, "quiet.txt"), "nothing");
        TestWav.Write(Path.Combine(set, "long.wav"), TestWav.Tone(24, 16000, 0.1), 16000);
        File.WriteAllText(Path.Combine(set, "long.txt"), string.Join(' ', Enumerable.Repeat("one two three four five six", 8)));
    }

    [Fact]
    public void Without_a_model_checks_audio_and_text_and_prints_markdown()
    {
        using var dir = new TempDirectory();
        MakeDataset(dir);
        var r = CliRunner.Run(dir.Path, dir.Path, "check");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("# Data-quality report", r.Out);
        Assert.Contains("| calls | b.wav |", r.Out);
        Assert.Contains("**duplicate** (not used for training): same audio as calls/a.wav", r.Out);
        Assert.Contains("**silence only**", r.Out);
    }

    [Fact]
    public void With_a_model_aligns_writes_a_json_report_and_reuses_alignments_on_the_second_run()
    {
        using var dir = new TempDirectory();
        MakeDataset(dir);
        Assert.Equal(0, CliRunner.Run(dir.Path, dir.Path, "init", "m.dg", "--size", "tiny").ExitCode);

        var first = CliRunner.Run(dir.Path, dir.Path, "check", "m.dg", "--report", "report.json");
        Assert.True(first.ExitCode == 0, first.Err);
        // a, long (b duplicates a but is aligned too; quiet is silence and never reaches the model).
        Assert.Contains("Alignments: 3 made, 0 reused", first.Out);
        using var doc = JsonDocument.Parse(File.ReadAllText(dir.Combine("report.json")));
        Assert.Equal("dgtools-quality-report", doc.RootElement.GetProperty("format").GetString());
        Assert.Equal(4, doc.RootElement.GetProperty("recordings").GetArrayLength());
        Assert.True(File.Exists(dir.Combine("dgdatasets", "calls", "resource_properties", "long.wav.align.json")));

        var second = CliRunner.Run(dir.Path, dir.Path, "check", "m.dg", "--report", "report.md");
        Assert.True(second.ExitCode == 0, second.Err);
        Assert.Contains("Alignments: 0 made, 3 reused", second.Out);
        Assert.StartsWith("# Data-quality report", File.ReadAllText(dir.Combine("report.md")));
    }
}
