using DgTools.Model;
using DgTools.Tests.TestSupport;
using Xunit;

namespace DgTools.Tests.Cli;

public class MakeDeployableTests
{
    [Fact]
    public void Writes_the_guides_file_name_and_prints_created()
    {
        using var dir = new TempDirectory();
        var source = FormatSamples.TinyConformer();
        ModelFile.Write(dir.Combine("general.last.dg"), source);
        var before = File.ReadAllBytes(dir.Combine("general.last.dg"));

        var r = CliRunner.Run(dir.Path, dir.Path, "makedeployable", "general.last.dg", "--name", "deployed_model", "--tags", "1");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("Initializing the environment...\nComplete.\nCreated deployed_model_en__1_deployable.dg.\n", r.Out);
        Assert.Equal(before, File.ReadAllBytes(dir.Combine("general.last.dg")));
        var made = ModelFile.Read(dir.Combine("deployed_model_en__1_deployable.dg"));
        Assert.True(made.Metadata.Deployable);
        Assert.True(made.Metadata.Trainable);
        Assert.Equal("deployed_model", made.Metadata.Name);
        Assert.Equal(["1"], made.Metadata.Tags);
        Assert.Equal(FormatSamples.FixedUuid, made.Metadata.Provenance.ParentUuid);
        Assert.NotEqual(FormatSamples.FixedUuid, made.Metadata.Uuid);
        foreach (var (name, t) in source.Tensors) Assert.Equal(t.Data, made.Tensors[name].Data);
    }

    [Fact]
    public void Several_tags_join_with_underscores_and_name_defaults_to_metadata()
    {
        using var dir = new TempDirectory();
        ModelFile.Write(dir.Combine("in.dg"), FormatSamples.TinyConformer(language: "es"));
        var r = CliRunner.Run(dir.Path, dir.Path, "makedeployable", "in.dg", "--tags", "topped-off", "example");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Created general_es__topped-off_example_deployable.dg.", r.Out);
        Assert.Equal(["topped-off", "example"], ModelFile.Read(dir.Combine("general_es__topped-off_example_deployable.dg")).Metadata.Tags);
    }

    [Fact]
    public void Without_tags_the_models_own_tags_are_kept()
    {
        using var dir = new TempDirectory();
        ModelFile.Write(dir.Combine("in.dg"), FormatSamples.TinyConformer());
        var r = CliRunner.Run(dir.Path, dir.Path, "makedeployable", "in.dg");
        Assert.Contains("Created general_en__example_deployable.dg.", r.Out);
    }

    [Theory]
    [InlineData("../evil")]
    [InlineData("has space")]
    [InlineData("double__underscore")]
    [InlineData("_leading")]
    public void A_name_that_would_break_the_file_name_is_refused(string name)
    {
        using var dir = new TempDirectory();
        ModelFile.Write(dir.Combine("in.dg"), FormatSamples.TinyConformer());
        var r = CliRunner.Run(dir.Path, dir.Path, "makedeployable", "in.dg", "--name", name);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith($"error: model name '{name}' may hold only", r.Err);
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void An_existing_output_is_never_overwritten()
    {
        using var dir = new TempDirectory();
        ModelFile.Write(dir.Combine("general.last.dg"), FormatSamples.TinyConformer());
        Assert.Equal(0, CliRunner.Run(dir.Path, dir.Path, "makedeployable", "general.last.dg", "--name", "deployed_model", "--tags", "1").ExitCode);
        var first = File.ReadAllBytes(dir.Combine("deployed_model_en__1_deployable.dg"));
        var again = CliRunner.Run(dir.Path, dir.Path, "makedeployable", "general.last.dg", "--name", "deployed_model", "--tags", "1");
        Assert.Equal(1, again.ExitCode);
        Assert.Equal($"error: will not overwrite an existing file (delete it or choose another --name or --tags) ({dir.Combine("deployed_model_en__1_deployable.dg")})\n", again.Err);
        Assert.DoesNotContain("Created", again.Out);
        Assert.Equal(first, File.ReadAllBytes(dir.Combine("deployed_model_en__1_deployable.dg")));
    }
}
