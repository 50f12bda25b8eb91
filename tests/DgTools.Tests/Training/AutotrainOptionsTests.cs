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

    [Theory]
    [InlineData(59.6, "0:01:00")]
    [InlineData(3_725, "1:02:05")]
    [InlineData(90_238, "25:03:58")]
    [InlineData(double.PositiveInfinity, "--:--:--")]
    public void The_ETA_counts_hours_past_a_day(double seconds, string expected) => Assert.Equal(expected, Autotrain.Eta(seconds));

    [Fact]
    public void Run_keys_of_earlier_runs_stay_valid_and_frozen_layers_make_a_new_run()
    {
        var o = new AutotrainOptions { ModelPath = "m", OutputDirectory = "/tmp/out" };
        var uuid = Guid.Parse("6a2f1d6e-0000-4000-8000-000000000001");
        Assert.Equal(RunKey.For(o, uuid), RunKey.For(o with { FrozenLayers = 0 }, uuid));
        Assert.NotEqual(RunKey.For(o, uuid), RunKey.For(o with { FrozenLayers = 2 }, uuid));
    }

    [FsddFact]
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

    [FsddFact]
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
