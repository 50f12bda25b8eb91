// The speech-embedding stream inside the model: a model extended with it starts out computing exactly what it computed
// before (zero projection), the stream is stored in and read back from the .dg, training reaches the projection, and
// the stream's columns are aligned with the filterbank frames.
using DgTools.Audio;
using DgTools.Model;
using DgTools.Model.SpeechEmbedding;
using Xunit;
using static TorchSharp.torch;

namespace DgTools.Tests.Model;

public class SpeechEmbeddingModelTests
{
    /// <summary>Front-end weights of the right shapes (random: these tests are about the plumbing, not the network).</summary>
    internal static Dictionary<string, TensorData> RandomFrontEnd(int seed = 3)
    {
        var random = new Random(seed);
        return SpeechEmbeddingNetwork.Shapes().ToDictionary(s => s.Key, s =>
        {
            var values = new float[s.Value.Aggregate(1L, (a, b) => a * b)];
            for (var i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() - 0.5) * 0.2f;
            return TensorData.FromFloats(s.Value, values);
        });
    }

    private static DgModel Tiny() => NewModel.Create("en", "tiny", NewModel.Preset("tiny"), seed: 5);

    [Fact]
    public void ExtendedModelComputesWhatItsSourceDidAndSurvivesTheFile()
    {
        using var scope = NewDisposeScope();
        var source = Tiny();
        var extended = NewModel.AddSpeechEmbedding(source, RandomFrontEnd());
        Assert.True(extended.Metadata.Features.SpeechEmbedding);
        Assert.Equal(96, extended.Metadata.Architecture.SpeechEmbeddingDim);
        Assert.Equal(source.Metadata.Uuid, extended.Metadata.Provenance.ParentUuid);

        using var dir = new TestSupport.TempDirectory();
        var path = dir.Combine("extended.dg");
        ModelFile.Write(path, extended);
        var read = ModelFile.Read(path, ModelArchitecture.ExpectedShapes);
        Assert.Equal(extended.Tensors["speech_embedding.conv7.weight"].Data, read.Tensors["speech_embedding.conv7.weight"].Data);

        using var before = ConformerCtc.FromFile(source);
        using var after = ConformerCtc.FromFile(read, path);
        before.eval();
        after.eval();
        var generator = new Generator(7);
        var mel = randn([2, 90, 80], generator: generator);
        var stream = randn([2, 90, 96], generator: generator).mul(3);
        var lengths = tensor(new long[] { 90, 61 });
        using var noGrad = no_grad();
        var (expected, expectedLengths) = before.call(mel, lengths);
        var (actual, actualLengths) = after.call(cat([mel, stream], 2), lengths);
        Assert.Equal(expectedLengths.data<long>().ToArray(), actualLengths.data<long>().ToArray());
        Assert.True(actual.sub(expected).abs().max().item<float>() < 1e-6);
    }

    [Fact]
    public void TrainingReachesTheProjectionAndThenTheStreamChangesTheOutput()
    {
        using var scope = NewDisposeScope();
        var extended = NewModel.AddSpeechEmbedding(Tiny(), RandomFrontEnd(), fusion: "norm-add");
        using var model = ConformerCtc.FromFile(extended);
        model.train();
        var generator = new Generator(11);
        var features = randn([1, 60, 176], generator: generator);
        var lengths = tensor(new long[] { 60 });
        var (logProbs, _) = model.call(features, lengths);
        logProbs[0, .., 3].sum().backward();
        var projection = model.named_parameters().Single(p => p.name == "speech_embedding_proj.weight").parameter;
        Assert.True(projection.grad is not null && projection.grad.abs().sum().item<float>() > 0);
        Assert.DoesNotContain(model.named_parameters(), p => p.name.StartsWith("speech_embedding.", StringComparison.Ordinal));

        using (no_grad()) projection.add_(projection.grad!.sign().mul(0.1));
        model.eval();
        using var noGrad = no_grad();
        var other = features.clone();
        other[.., .., 80..] = randn([1, 60, 96], generator: generator);
        var (a, _) = model.call(features, lengths);
        var (b, _) = model.call(other, lengths);
        Assert.True(a.sub(b).abs().max().item<float>() > 1e-3, "the stream columns do not reach the output");
    }

    [Fact]
    public void FeaturesHoldTheMelBinsThenTheStreamAlignedWithTheFrames()
    {
        var config = new FeatureConfig { SpeechEmbedding = true };
        using var frontEnd = new FeatureFrontEnd(config, RandomFrontEnd());
        var clip = AudioDecoder.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Audio", "speechlike_16k.wav"), 16000);
        var features = frontEnd.Compute(clip);
        var fbank = new FbankExtractor(config).Compute(clip);
        Assert.Equal(176, features.Bins);
        Assert.Equal(fbank.Frames, features.Frames);
        for (var f = 0; f < fbank.Frames; f += 17) Assert.Equal(fbank.Row(f).ToArray(), features.Row(f)[..80].ToArray());

        // 80 ms of silence in front delays both streams by exactly 8 frames.
        var delayed = frontEnd.Compute(new float[1280].Concat(clip).ToArray());
        Assert.Equal(features.Frames + 8, delayed.Frames);
        var worst = 0f;
        for (var f = 8; f < features.Frames - 16; f++)
            for (var d = 80; d < 176; d++) worst = Math.Max(worst, Math.Abs(features[f, d] - delayed[f + 8, d]));
        Assert.True(worst < 1e-4, $"stream columns moved by more than the delay: max |Δ| = {worst}");
        Assert.NotEqual(features[10, 100], features[60, 100]);
        Assert.NotEqual(frontEnd.CacheKey, new FeatureFrontEnd(config, RandomFrontEnd(seed: 4)).CacheKey);
        Assert.NotEqual(frontEnd.CacheKey, new FeatureFrontEnd(new FeatureConfig()).CacheKey);
    }

    [Fact]
    public void NormalisationLeavesTheStreamAlone()
    {
        var data = Enumerable.Range(0, 4 * 3).Select(i => (float)(i * i % 7)).ToArray();
        var matrix = new FeatureMatrix(data, 4, 3);
        var normalised = matrix.Normalized(new FeatureConfig { NumMelBins = 2, SpeechEmbedding = true });
        for (var f = 0; f < 4; f++) Assert.Equal(matrix[f, 2], normalised[f, 2]);
        Assert.True(Math.Abs(Enumerable.Range(0, 4).Sum(f => normalised[f, 0])) < 1e-5);
    }
}
