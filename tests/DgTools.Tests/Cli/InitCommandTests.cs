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

    [Fact]
    public void Starts_another_language_from_a_models_encoder_with_a_new_output_layer()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, CliRunner.Run(dir.Path, dir.Path, "init", "en.dg", "--size", "tiny", "--seed", "3").ExitCode);
        var r = CliRunner.Run(dir.Path, dir.Path, "init", "ko.dg", "--lang", "ko", "--encoder-from", "en.dg", "--seed", "4");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("Created ko.dg: ko model with the encoder of en.dg and a new output layer,", r.Out);

        var en = ModelFile.Read(dir.Combine("en.dg"), ModelArchitecture.ExpectedShapes);
        var ko = ModelFile.Read(dir.Combine("ko.dg"), ModelArchitecture.ExpectedShapes);
        Assert.Equal(["ko"], ko.Metadata.Languages);
        Assert.Equal(en.Metadata.Uuid, ko.Metadata.Provenance.ParentUuid);
        Assert.Equal(0, ko.Metadata.Provenance.SamplesTrained);
        Assert.Equal(ko.Metadata.Units.Count, ko.Metadata.Architecture.NumUnits);
        Assert.NotEqual(en.Metadata.Units.Count, ko.Metadata.Units.Count);
        Assert.Equal(en.Metadata.Architecture with { NumUnits = 0 }, ko.Metadata.Architecture with { NumUnits = 0 });
        foreach (var (name, tensor) in ko.Tensors)
        {
            if (name.StartsWith("ctc_head.", StringComparison.Ordinal))
                Assert.NotEqual(en.Tensors[name].Shape, tensor.Shape);
            else
                Assert.Equal(en.Tensors[name].Data, tensor.Data);
        }
    }

    [Fact]
    public void A_model_of_the_same_language_keeps_its_output_layer_too()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, CliRunner.Run(dir.Path, dir.Path, "init", "en.dg", "--size", "tiny", "--seed", "3").ExitCode);
        var r = CliRunner.Run(dir.Path, dir.Path, "init", "again.dg", "--lang", "en", "--encoder-from", "en.dg", "--seed", "4");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("Created again.dg: en model with the encoder and output layer of en.dg, to train again from scratch,", r.Out);

        var en = ModelFile.Read(dir.Combine("en.dg"), ModelArchitecture.ExpectedShapes);
        var again = ModelFile.Read(dir.Combine("again.dg"), ModelArchitecture.ExpectedShapes);
        Assert.Equal(en.Metadata.Uuid, again.Metadata.Provenance.ParentUuid);
        Assert.Equal(0, again.Metadata.Provenance.SamplesTrained);
        Assert.NotEqual(en.Metadata.Uuid, again.Metadata.Uuid);
        foreach (var (name, tensor) in again.Tensors)
            Assert.Equal(en.Tensors[name].Data, tensor.Data);
    }

    [Fact]
    public void Will_not_start_from_an_untrainable_models_encoder()
    {
        using var dir = new TempDirectory();
        ModelFile.Write(dir.Combine("sealed.dg"), FormatSamples.TinyConformer(trainable: false, deployable: true));
        var r = CliRunner.Run(dir.Path, dir.Path, "init", "es.dg", "--lang", "es", "--encoder-from", "sealed.dg");
        Assert.Equal((1, $"error: model is not trainable ({dir.Combine("sealed.dg")})\n"), (r.ExitCode, r.Err));
        Assert.False(File.Exists(dir.Combine("es.dg")));
    }

    [Theory]
    [InlineData("--size", "tiny")]
    [InlineData("--subsampling", "8")]
    public void Refuses_a_size_or_subsampling_beside_encoder_from(string option, string value)
    {
        using var dir = new TempDirectory();
        ModelFile.Write(dir.Combine("en.dg"), FormatSamples.TinyConformer());
        var r = CliRunner.Run(dir.Path, dir.Path, "init", "es.dg", "--lang", "es", "--encoder-from", "en.dg", option, value);
        Assert.Equal((2, "error: --encoder-from takes the size and subsampling of its model: leave out --size and --subsampling\n"), (r.ExitCode, r.Err));
        Assert.False(File.Exists(dir.Combine("es.dg")));
    }
}
