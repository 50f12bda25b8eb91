// Runs whose first validation is also their last (a handful of files, or --validate-every past the total) never save
// a resume state; they used to write X.last.dg and then fail deleting a run directory that was never created.
using DgTools.Model;
using DgTools.Tests.Reliability;
using DgTools.Tests.TestSupport;
using Xunit;

namespace DgTools.Tests.Training;

public class ShortRunTests
{
    [Theory]
    [InlineData("1", "1")]
    [InlineData("2", "1000")]
    public void A_run_validated_only_at_its_end_succeeds(string revisit, string validateEvery)
    {
        using var scene = new BadInputScene();
        scene.GoodPair("a", "one two");
        scene.GoodPair("b", "two one");
        scene.GoodPair("c", "one");
        scene.ValidateOnly("c");
        var r = CliRunner.Run(scene.Work, scene.Res, "autotrain", scene.Model, "--threads", "1", "--revisit-count", revisit, "--validate-every", validateEvery);
        Assert.True(r.ExitCode == 0, r.Err + r.Out);
        Assert.Equal("", r.Err);
        ModelFile.Read(Path.Combine(scene.Work, "m.last.dg"), ModelArchitecture.ExpectedShapes);
        Assert.Contains("Training complete", r.Out);
        Assert.False(File.Exists(Path.Combine(scene.Res, ".train_meta", "autotrain.lock")));
    }
}
