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
    public void The_run_key_follows_every_field_of_the_plan_and_the_data()
    {
        var plan = new TrainingPlan
        {
            ModelUuid = Guid.Parse("6a2f1d6e-0000-4000-8000-000000000001"), OutputDirectory = "/tmp/out", FromScratch = false,
            TopOff = false, RevisitCount = 20, MaxValidationSamples = 500, ValidateEvery = 100, TotalSamples = 2000,
            Trainer = new TrainerOptions(), DataFingerprint = "abc",
        };
        Assert.Equal(plan.RunKey(), (plan with { }).RunKey());
        // Options the hand-kept key once missed, a trainer setting deep inside the plan, and the data.
        Assert.NotEqual(plan.RunKey(), (plan with { MaxValidationSamples = 400 }).RunKey());
        Assert.NotEqual(plan.RunKey(), (plan with { DomainTextShare = 0.25 }).RunKey());
        Assert.NotEqual(plan.RunKey(), (plan with { Trainer = plan.Trainer with { Guard = new ForgettingGuard { FrozenLayers = 2 } } }).RunKey());
        Assert.NotEqual(plan.RunKey(), (plan with { DataFingerprint = "abd" }).RunKey());
    }

    [Fact]
    public void Warmup_steps_override_the_recipe_and_change_the_run_key()
    {
        var source = new InMemoryUtterances(Enumerable.Range(0, 40).Select(_ => new Utterance(new float[80 * 300], 300, [1, 2])).ToList());
        // 40 × 3 s in 8 s batches: 15 updates a pass, 3,000 in 200 passes; the recipe warms up over at most a tenth.
        var o = new AutotrainOptions { ModelPath = "m", OutputDirectory = ".", RevisitCount = 200 };
        Assert.Equal(30, TrainingRecipe.For(o, fromScratch: false, source).Schedule.WarmupSteps);
        Assert.Equal(300, TrainingRecipe.For(o, fromScratch: true, source).Schedule.WarmupSteps);
        Assert.Equal(7, TrainingRecipe.For(o with { WarmupSteps = 7 }, fromScratch: false, source).Schedule.WarmupSteps);
        Assert.Throws<OptionError>((o with { WarmupSteps = 0 }).Validate);
    }

    [Theory]
    [InlineData("RevisitCount", "--revisit-count must be at least 1")]
    [InlineData("MergeRatio", "--merge-ratio must be between 0 and 1")]
    [InlineData("DomainTextShare", "--domain-text-share must be at least 0 and below 1")]
    public void The_library_refuses_option_values_that_make_no_sense(string field, string message)
    {
        var o = new AutotrainOptions { ModelPath = "m", OutputDirectory = "." };
        o = field switch
        {
            "RevisitCount" => o with { RevisitCount = 0 },
            "MergeRatio" => o with { MergeRatio = 1.5 },
            _ => o with { DomainTextShare = double.NaN },
        };
        Assert.Equal(message, Assert.Throws<OptionError>(o.Validate).Message);
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
