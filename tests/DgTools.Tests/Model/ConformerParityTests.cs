// Parity with the PyTorch reference (bench/model/reference_conformer.py): the fixtures hold the reference's weights
// as a .dg file, a padded two-utterance input and its log-probabilities; regenerate with
//   /usr/bin/python3 bench/model/reference_conformer.py fixture tests/DgTools.Tests/Fixtures/Model
using DgTools.Model;
using TorchSharp;
using DgTools.Tests.TestSupport;
using Xunit;
using static TorchSharp.torch;

namespace DgTools.Tests.Model;

[Trait("Tier", "Slow")]   // training runs, processes or timed trials: the full suite only (not scripts/test.sh --fast)
public class ConformerParityTests
{
    internal static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Model", name);

    [Theory]
    [InlineData("conformer-4x")]
    [InlineData("conformer-8x")]
    public void SameWeightsGiveTheReferenceLogProbabilities(string name)
    {
        using var scope = NewDisposeScope();
        var path = FixturePath(name + ".dg");
        var (io, _) = SafetensorsTestFile.Read(FixturePath(name + ".io.safetensors"));
        using var model = ConformerCtc.FromFile(ModelFile.Read(path, ModelArchitecture.ConformerShapes), path);
        model.eval();
        using var noGrad = no_grad();

        var (logProbs, lengths) = model.call(io["features"], io["lengths"]);

        Assert.Equal(io["out_lengths"].data<long>().ToArray(), lengths.data<long>().ToArray());
        Assert.Equal(io["log_probs"].shape, logProbs.shape);
        var expected = io["log_probs"];
        var outLengths = io["out_lengths"].data<long>().ToArray();
        for (var b = 0; b < outLengths.Length; b++)
        {
            // frames past an utterance's length are padding: their values are not part of the contract
            var diff = logProbs[b, ..(int)outLengths[b]].sub(expected[b, ..(int)outLengths[b]]).abs().max().item<float>();
            Assert.True(diff < 1e-4, $"{name} utterance {b}: max |Δ log-prob| = {diff}");
        }
    }

    [Fact]
    public void TensorNamesMatchTheReference()
    {
        var file = ModelFile.Read(FixturePath("conformer-8x.dg"));
        using var model = new ConformerCtc(file.Metadata.Architecture);
        Assert.Equal(file.Tensors.Keys.Order(), model.NamedTensors().Keys.Order());
    }

    [Fact]
    public void ADgWrittenHereRoundTripsTheWeightsExactly()
    {
        using var dir = new DgTools.Tests.TestSupport.TempDirectory();
        var config = Tiny(8, 2);
        using var model = new ConformerCtc(config, seed: 21);
        var path = Path.Combine(dir.Path, "tiny.dg");
        ModelFile.Write(path, new DgModel(new ModelMetadata { Architecture = config }, model.ExportTensors(), new Dictionary<string, string>()));
        using var loaded = ConformerCtc.FromFile(ModelFile.Read(path, ModelArchitecture.ConformerShapes), path);
        var (a, b) = (model.NamedTensors(), loaded.NamedTensors());
        Assert.All(a.Keys, k => Assert.True(a[k].eq(b[k]).all().item<bool>(), k));
    }

    [PythonTorchFact]
    public void ThePyTorchReferenceReadsADgWrittenHereAndComputesTheSameLogProbabilities()
    {
        const string python = "/usr/bin/python3";
        using var scope = NewDisposeScope();
        using var dir = new DgTools.Tests.TestSupport.TempDirectory();
        var config = Tiny(8, 2) with { Dropout = 0.1 };
        using var model = new ConformerCtc(config, seed: 31);
        model.eval();
        using var generator = new Generator(4);
        var features = randn(3, 70, 80, generator: generator);
        var lengths = tensor(new[] { 70L, 41L, 9L });
        var (logProbs, outLengths) = model.call(features, lengths);
        var modelPath = dir.Combine("m.dg");
        var ioPath = dir.Combine("io.safetensors");
        ModelFile.Write(modelPath, new DgModel(new ModelMetadata { Architecture = config, Units = [.. Enumerable.Range(0, 10).Select(i => $"u{i}")] },
            model.ExportTensors(), new Dictionary<string, string>()));
        SafetensorsTestFile.Write(ioPath, new Dictionary<string, Tensor>
        {
            ["features"] = features, ["lengths"] = lengths, ["log_probs"] = logProbs.detach(), ["out_lengths"] = outLengths,
        });

        var script = Path.Combine(DgTools.Tests.TestSupport.RepoPaths.Root, "bench", "model", "reference_conformer.py");
        var psi = new System.Diagnostics.ProcessStartInfo(python, [script, "check", modelPath, ioPath])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"reference disagrees or failed: {output} {error}");
        Assert.StartsWith("max |difference|", output);
    }

    [Fact]
    public void OutputLengthMatchesTheForwardPass()
    {
        using var scope = NewDisposeScope();
        foreach (var config in new[] { Tiny(4, 1), Tiny(8, 2), Tiny(8, 1) })
        {
            using var model = new ConformerCtc(config, seed: 3);
            model.eval();
            foreach (var frames in new[] { 1L, 7, 8, 9, 100, 101 })
            {
                var (logProbs, lengths) = model.call(zeros(1, frames, 80), tensor(new[] { frames }));
                Assert.Equal(ConformerCtc.OutputLength(frames, config), lengths.item<long>());
                Assert.Equal(lengths.item<long>(), logProbs.shape[1]);
            }
        }
    }

    [Fact]
    public void PaddingDoesNotChangeAnUtterancesOutput()
    {
        using var scope = NewDisposeScope();
        var config = Tiny(4, 1);
        using var model = new ConformerCtc(config, seed: 5);
        model.eval();
        using var generator = new Generator(9);
        var utterance = randn(1, 50, 80, generator: generator);
        var (alone, _) = model.call(utterance, tensor(new[] { 50L }));
        var padded = cat([utterance, randn(1, 30, 80, generator: generator)], 1);
        var other = randn(1, 80, 80, generator: generator);
        var (batched, _) = model.call(cat([padded, other], 0), tensor(new[] { 50L, 80L }));
        var diff = batched[0, ..(int)alone.shape[1]].sub(alone[0]).abs().max().item<float>();
        Assert.True(diff < 1e-5, $"max |Δ| = {diff}");
    }

    [Fact]
    public void TheSameSeedBuildsTheSameWeights()
    {
        using var a = new ConformerCtc(Tiny(4, 1), seed: 11);
        using var b = new ConformerCtc(Tiny(4, 1), seed: 11);
        using var c = new ConformerCtc(Tiny(4, 1), seed: 12);
        var (ta, tb, tc) = (a.NamedTensors(), b.NamedTensors(), c.NamedTensors());
        Assert.All(ta.Keys, k => Assert.True(ta[k].eq(tb[k]).all().item<bool>(), k));
        Assert.False(ta["ctc_head.weight"].eq(tc["ctc_head.weight"]).all().item<bool>());
    }

    [Fact]
    public void LoadingRejectsAMissingOrMisshapenTensor()
    {
        using var model = new ConformerCtc(Tiny(4, 1));
        var tensors = model.NamedTensors().ToDictionary();
        tensors.Remove("ctc_head.bias");
        Assert.Contains("ctc_head.bias", Assert.Throws<ModelFileError>(() => model.LoadNamedTensors(tensors)).Message);
        tensors["ctc_head.bias"] = zeros(5);
        Assert.Contains("shape", Assert.Throws<ModelFileError>(() => model.LoadNamedTensors(tensors)).Message);
    }

    internal static ModelConfig Tiny(int subsampling, int headUpsampling) => new()
    {
        NumUnits = 10, DModel = 32, NumLayers = 2, NumHeads = 4, FeedForwardDim = 64, ConvKernel = 7,
        Subsampling = subsampling, SubsamplingChannels = 8, HeadUpsampling = headUpsampling,
    };
}
