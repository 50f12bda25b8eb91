using DgTools.Model;
using DgTools.Tests.TestSupport;
using Xunit;

namespace DgTools.Tests.Cli;

public class CliFormatTests
{
    private static CliResult Run(params string[] args)
    {
        using var dir = new TempDirectory();
        return CliRunner.Run(dir.Path, dir.Path, args);
    }

    [Fact]
    public void Help_prints_the_guides_usage_block()
    {
        var r = Run("help");
        Assert.Equal(0, r.ExitCode);
        Golden.Assert("help.txt", r.Out);
    }

    [Fact]
    public void Listlang_prints_exactly_the_supported_languages()
    {
        var r = Run("listlang");
        Assert.Equal((0, "Currently supported languages: en, es, nl, ko.\n"), (r.ExitCode, r.Out));
    }

    [Fact]
    public void Version_prints_copyright_then_semver()
    {
        var r = Run("version");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Out.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("Copyright ©", lines[0]);
        Assert.Matches(@"^DGTools v\d+\.\d+\.\d+$", lines[1]);
    }

    [Theory]
    [InlineData("autotrain")]
    [InlineData("makedeployable")]
    [InlineData("modelinfo")]
    [InlineData("listlang")]
    [InlineData("version")]
    public void Every_subcommand_has_help(string sub)
    {
        var r = Run(sub, "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"dgtools {sub}", r.Out);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("frobnicate", "--help")]
    [InlineData("frobnicate", "-h")]
    public void Unknown_subcommand_is_a_usage_error_with_exit_2(params string[] args)
    {
        var r = Run(args);
        Assert.Equal("", r.Out);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("error: unknown subcommand 'frobnicate'\nUsage:\n", r.Err);
    }

    [Fact]
    public void No_subcommand_prints_usage_with_exit_2()
    {
        var r = Run();
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("Usage:\ndgtools [SUBCOMMAND] [OPTIONS]\n", r.Err);
    }

    [Theory]
    [InlineData("--revisit-count", "-3", "must be at least 1")]
    [InlineData("--domain-text-share", "1", "must be at least 0 and below 1")]
    [InlineData("--domain-text-share", "-0.1", "must be at least 0 and below 1")]
    [InlineData("--frequency-warp", "0.5", "must be at least 0 and below 0.5")]
    [InlineData("--frequency-warp", "-0.05", "must be at least 0 and below 0.5")]
    public void An_autotrain_option_out_of_its_range_is_a_usage_error(string option, string value, string rule)
    {
        var r = Run("autotrain", "m.dg", option, value);
        Assert.Equal((2, $"error: {option} {rule}\n"), (r.ExitCode, r.Err));
    }

    [Theory]
    [InlineData(true, true, "Model is trainable and deployable.")]
    [InlineData(true, false, "Model is trainable but not deployable.")]
    [InlineData(false, true, "Model is deployable but not trainable.")]
    public void Modelinfo_prints_the_guides_block(bool trainable, bool deployable, string first)
    {
        using var dir = new TempDirectory();
        ModelFile.Write(dir.Combine("m.dg"), FormatSamples.TinyConformer(trainable, deployable));
        var r = CliRunner.Run(dir.Path, dir.Path, "modelinfo", "m.dg");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(first, r.Out.Split('\n')[0]);
        if (trainable && deployable) Golden.Assert("modelinfo.txt", r.Out);
    }

    [Fact]
    public void Modelinfo_json_matches_the_golden_file()
    {
        using var dir = new TempDirectory();
        ModelFile.Write(dir.Combine("m.dg"), FormatSamples.TinyConformer());
        var r = CliRunner.Run(dir.Path, dir.Path, "modelinfo", "m.dg", "--json");
        Assert.Equal(0, r.ExitCode);
        Golden.Assert("modelinfo.json", r.Out);
    }

    [Fact]
    public void Container_paths_map_onto_the_resource_directory()
    {
        using var dir = new TempDirectory();
        var res = dir.Combine("res");
        Directory.CreateDirectory(res);
        ModelFile.Write(Path.Combine(res, "m.dg"), FormatSamples.TinyConformer());
        var r = CliRunner.Run(dir.Path, res, "modelinfo", "/dgtraining/m.dg");
        Assert.Equal(0, r.ExitCode);
    }
}
