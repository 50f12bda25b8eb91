// The forgetting guards travel with the model: a general model copied elsewhere, or a model trained from it, finds the
// replay and guard sets of the installed general model by uuid and trains with the same guards as in place.
using DgTools.Model;
using DgTools.Tests.TestSupport;
using DgTools.Training;
using Xunit;
using DgTools.Preparation;

namespace DgTools.Tests.Training;

[Trait("Tier", "Slow")]   // training runs, processes or timed trials: the full suite only (not scripts/test.sh --fast)
public class ForgettingGuardsTests
{
    /// <summary>res/models/general.dg installed with its .replay and .guard sets; the customer's digits in res.</summary>
    private static void Installed(TempDirectory dir)
    {
        ReplayTests.Scene(dir, trained: true);
        var models = dir.Combine("res", "models");
        Directory.CreateDirectory(models);
        File.Move(dir.Combine("general.dg"), Path.Combine(models, "general.dg"));
        Directory.Move(dir.Combine("general.replay"), Path.Combine(models, "general.replay"));
        DigitsResources.Create(dir.Combine("guardsrc"), "theo", [8, 9], []);
        Directory.Move(dir.Combine("guardsrc", "dgdatasets", "digits"), Path.Combine(models, "general.guard"));
    }

    [FsddFact]
    public void A_copied_general_model_trains_with_the_same_guards_as_in_place()
    {
        using var dir = new TempDirectory();
        Installed(dir);
        var models = dir.Combine("res", "models");
        Directory.CreateDirectory(dir.Combine("elsewhere"));
        File.Copy(Path.Combine(models, "general.dg"), dir.Combine("elsewhere", "general.dg"));

        string[] args = ["--revisit-count", "1", "--threads", "1", "--replay-fraction", "0.5"];
        var inPlace = CliRunner.Run(dir.Path, dir.Combine("res"), ["autotrain", Path.Combine(models, "general.dg"), .. args]);
        Assert.Equal(0, inPlace.ExitCode);
        var copied = CliRunner.Run(dir.Combine("elsewhere"), dir.Combine("res"), ["autotrain", "general.dg", "--restart", .. args]);
        Assert.Equal(0, copied.ExitCode);

        var replay = Path.Combine(models, "general.replay");
        var guard = Path.Combine(models, "general.guard");
        Assert.Contains($"from {replay} join every pass (beside the model).", inPlace.Out);
        Assert.Contains($"General-domain guard set: {guard} (20 samples; beside the model).", inPlace.Out);
        var installed = $"of the installed general model {Path.Combine(models, "general.dg")}, the same model (same uuid)";
        Assert.Contains($"Replay: 9 general-domain samples from {replay} join every pass ({installed}).", copied.Out);
        Assert.Contains($"General-domain guard set: {guard} (20 samples; {installed}).", copied.Out);
        // Same guards, same training: the same samples and the general-domain accuracy measured on both.
        var a = ModelFile.Read(dir.Combine("general.last.dg")).Metadata.Provenance;   // written where the command runs
        var b = ModelFile.Read(dir.Combine("elsewhere", "general.last.dg")).Metadata.Provenance;
        Assert.Equal(a.SamplesTrained, b.SamplesTrained);
        Assert.NotNull(b.GeneralAccuracy);
        Assert.Equal(a.GeneralAccuracy, b.GeneralAccuracy);
    }

    [FsddFact]
    public void A_model_trained_from_an_installed_general_model_finds_its_parents_guards()
    {
        using var dir = new TempDirectory();
        Installed(dir);
        var general = ModelFile.ReadMetadata(dir.Combine("res", "models", "general.dg"));
        var child = new ModelMetadata { Provenance = new Provenance { ParentUuid = general.Uuid } };
        var guards = new ForgettingGuards([dir.Combine("res", "models")]);

        var replay = guards.Find(dir.Combine("custom.dg"), child, ".replay");
        Assert.Equal(dir.Combine("res", "models", "general.replay"), replay?.Directory);
        Assert.EndsWith("the model it was trained from", replay?.Origin);
        Assert.Null(guards.Find(dir.Combine("custom.dg"), new ModelMetadata(), ".replay"));   // a stranger: no guards
    }
}
