using DgTools.Model;
using DgTools.Tests.TestSupport;
using DgTools.Training;
using Xunit;

namespace DgTools.Tests.Training;

public class AutotrainOptionsTests
{
    [Theory]
    [InlineData(false, null, 20)]
    [InlineData(true, null, 10)]
    [InlineData(true, 100, 100)]
    public void Revisit_count_defaults_follow_the_guide(bool topOff, int? given, int expected) =>
        Assert.Equal(expected, new AutotrainOptions { ModelPath = "m", OutputDirectory = ".", TopOff = topOff, RevisitCount = given }.EffectiveRevisitCount);

    [Fact]
    public void Top_off_tags_the_result_adds_no_words_and_runs_ten_passes()
    {
        using var dir = new TempDirectory();
        var res = dir.Combine("res");
        DigitsResources.Create(res, "lucas", [10], [1]);
        Assert.Equal(0, CliRunner.Run(dir.Path, res, "init", "m.dg", "--size", "tiny").ExitCode);
        var r = CliRunner.Run(dir.Path, res, "autotrain", "m.dg", "--top-off", "--threads", "1");
        Assert.Equal(0, r.ExitCode);
        Assert.DoesNotContain("new vocabulary words", r.Out);
        var last = ModelFile.Read(dir.Combine("m.last.dg"));
        Assert.Contains("topped-off", last.Metadata.Tags);
        Assert.Empty(last.Metadata.AddedWords);
        var trainCount = last.Metadata.Provenance.SamplesTrained / 10;
        Assert.InRange(trainCount, 5, 10);
        Assert.Equal(0, last.Metadata.Provenance.SamplesTrained % 10);
    }

    [Fact]
    public void A_running_training_holds_the_lock_and_a_second_is_refused()
    {
        using var dir = new TempDirectory();
        var res = dir.Combine("res");
        DigitsResources.Create(res, "lucas", [10], [1]);
        Assert.Equal(0, CliRunner.Run(dir.Path, res, "init", "m.dg", "--size", "tiny").ExitCode);
        using var held = TrainingLock.Acquire(Path.Combine(res, ".train_meta", "autotrain.lock"), "dgtools autotrain other.dg");
        var r = CliRunner.Run(dir.Path, res, "autotrain", "m.dg");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith($"error: another autotrain is running on this resource directory: pid {Environment.ProcessId}", r.Err);
        Assert.Contains("(dgtools autotrain other.dg)", r.Err);
        Assert.Single(Directory.GetFiles(dir.Path));
    }
}
