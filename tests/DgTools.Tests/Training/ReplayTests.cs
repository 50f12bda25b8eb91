// Replay, the forgetting guard for fine-tuning: general-domain utterances found beside the model (MODEL.replay/) or
// given with --replay-dataset join every pass; the sample countdown counts them; an untrained model never replays.
using DgTools.Data;
using DgTools.Model;
using DgTools.Reporting;
using DgTools.Training;
using DgTools.Tests.TestSupport;
using Xunit;

namespace DgTools.Tests.Training;

[Trait("Tier", "Slow")]   // training runs, processes or timed trials: the full suite only (not scripts/test.sh --fast)
public class ReplayTests
{
    /// <summary>A tiny model marked as trained (fine-tuning takes the replay path), its replay set beside it.</summary>
    internal static void Scene(TempDirectory dir, bool trained)
    {
        DigitsResources.Create(dir.Combine("res"), "jackson", [10, 11], [1]);
        var model = NewModel.Create("en", "general", NewModel.Preset("tiny"), 3);
        if (trained) model = model with { Metadata = model.Metadata with { Provenance = model.Metadata.Provenance with { SamplesTrained = 100 } } };
        ModelFile.Write(dir.Combine("general.dg"), model);
        // Another speaker's digits stand in for general-domain speech.
        DigitsResources.Create(dir.Combine("general"), "theo", [5, 6, 7], []);
        Directory.Move(dir.Combine("general", "dgdatasets", "digits"), dir.Combine("general.replay"));
    }

    [FsddFact]
    public void Fine_tuning_mixes_the_replay_set_beside_the_model_into_every_pass()
    {
        using var dir = new TempDirectory();
        Scene(dir, trained: true);
        var reporter = new RecordingReporter();
        var options = new AutotrainOptions
        {
            ModelPath = dir.Combine("general.dg"), OutputDirectory = dir.Path, RevisitCount = 1, Threads = 1, ReplayFraction = 0.5,
        };
        var result = new Autotrain(options, new ResourceDirectory(dir.Combine("res")), reporter).Run();

        // 18 training utterances (the split keeps 2 of the 20 for validation), half as many replayed: 27 per pass.
        Assert.Equal(dir.Combine("general.replay"), result.Plan.ReplayDataset);
        Assert.Equal(9, result.ReplaySamplesPerPass);
        Assert.Equal(27, result.SamplesTrained);
        Assert.Contains($"Replay: 9 general-domain samples from {dir.Combine("general.replay")} join every pass (beside the model).", reporter.Infos);
        Assert.Equal(100 + 27, ModelFile.Read(dir.Combine("general.last.dg")).Metadata.Provenance.SamplesTrained);
        // The replayed transcripts are general speech, not new vocabulary of the customer's.
        Assert.NotEmpty(result.AddedWords);
        Assert.False(result.Resumed);
        Assert.Equal(0, result.GuardSamples);
        Assert.NotNull(result.InitialAccuracy);
    }

    [FsddFact]
    public void Replay_fraction_zero_and_untrained_models_train_without_replay()
    {
        using var dir = new TempDirectory();
        Scene(dir, trained: true);
        var off = CliRunner.Run(dir.Path, dir.Combine("res"), "autotrain", "general.dg", "--revisit-count", "1", "--threads", "1",
            "--replay-fraction", "0");
        Assert.Equal(0, off.ExitCode);
        Assert.DoesNotContain("Replay:", off.Out);
        Assert.Equal(100 + 18, ModelFile.Read(dir.Combine("general.last.dg")).Metadata.Provenance.SamplesTrained);

        using var fresh = new TempDirectory();
        Scene(fresh, trained: false);
        var scratch = CliRunner.Run(fresh.Path, fresh.Combine("res"), "autotrain", "general.dg", "--revisit-count", "1", "--threads", "1");
        Assert.Equal(0, scratch.ExitCode);
        Assert.DoesNotContain("Replay:", scratch.Out);

        var missing = CliRunner.Run(fresh.Path, fresh.Combine("res"), "autotrain", "general.dg", "--replay-dataset", "nope", "--restart");
        Assert.Equal(0, missing.ExitCode);   // from scratch: replay does not apply, so the option is not even looked at
    }
}
