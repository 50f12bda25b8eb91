using DgTools.Model;
using DgTools.Tests.TestSupport;
using Xunit;

namespace DgTools.Tests.Cli;

public class InitCommandTests
{
    [Fact]
    public void Creates_an_untrained_model_that_modelinfo_accepts()
    {
        using var dir = new TempDirectory();
        var r = CliRunner.Run(dir.Path, dir.Path, "init", "g.dg", "--lang", "es", "--size", "tiny");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("Created g.dg: untrained es model,", r.Out);
        var model = ModelFile.Read(dir.Combine("g.dg"), ModelArchitecture.ExpectedShapes);
        Assert.Equal(["es"], model.Metadata.Languages);
        Assert.Equal(model.Metadata.Units.Count, model.Metadata.Architecture.NumUnits);
        Assert.Equal("<blank>", model.Metadata.Units[0]);
        var info = CliRunner.Run(dir.Path, dir.Path, "modelinfo", "g.dg");
        Assert.StartsWith("Model is trainable but not deployable.\n", info.Out);
    }

    [Fact]
    public void Refuses_to_overwrite_and_rejects_unknown_languages()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("g.dg"), "keep me");
        var r = CliRunner.Run(dir.Path, dir.Path, "init", "g.dg", "--size", "tiny");
        Assert.Equal((1, $"error: will not overwrite an existing file ({dir.Combine("g.dg")})\n"), (r.ExitCode, r.Err));
        Assert.Equal("keep me", File.ReadAllText(dir.Combine("g.dg")));
        var lang = CliRunner.Run(dir.Path, dir.Path, "init", "x.dg", "--lang", "fr");
        Assert.Equal(2, lang.ExitCode);
        Assert.StartsWith("error: unsupported language 'fr'", lang.Err);
    }
}
