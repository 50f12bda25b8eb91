using DgTools.Alignment;
using DgTools.Audio;
using DgTools.Model;
using TorchSharp;
using Xunit;

namespace DgTools.Tests.Alignment;

public sealed class ModelPosteriorSourceTests
{
    private static string ModelPath => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Model", "conformer-4x.dg");

    private static float[] Noise(double seconds, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, (int)(seconds * 16000)).Select(_ => (float)(0.1 * (random.NextDouble() - 0.5))).ToArray();
    }

    [Fact]
    public void A_long_recording_runs_in_chunks_and_gives_one_normalised_row_per_output_frame()
    {
        var file = ModelFile.Read(ModelPath, ModelArchitecture.ExpectedShapes);
        using var source = new ModelPosteriorSource(file, ModelPath, chunkSeconds: 2, contextSeconds: 0.5);
        var samples = Noise(6.3, 1);

        var posteriors = source.Compute(samples);

        Assert.Equal(file.Metadata.Uuid.ToString(), source.ModelId);
        var expectedFrames = ConformerCtc.OutputLength((samples.Length - 400) / 160 + 1, file.Metadata.Architecture);
        Assert.InRange(posteriors.Frames, expectedFrames - 3, expectedFrames + 3);
        Assert.Equal(6.3, posteriors.DurationSeconds, 1);
        for (var t = 0; t < posteriors.Frames; t += 7)
        {
            var sum = 0.0;
            foreach (var v in posteriors.Row(t)) sum += Math.Exp(v);
            Assert.Equal(1.0, sum, 3);
        }
    }

    [Fact]
    public void One_chunk_equals_one_model_call()
    {
        var file = ModelFile.Read(ModelPath, ModelArchitecture.ExpectedShapes);
        using var source = new ModelPosteriorSource(file, ModelPath, chunkSeconds: 100);
        var extractor = new FbankExtractor(file.Metadata.Features);

        var samples = Noise(6.3, 3);
        var posteriors = source.Compute(samples);

        using var scope = torch.NewDisposeScope();   // keeps the forward pass's temporaries referenced while libtorch reads them
        using var model = ConformerCtc.FromFile(file, ModelPath);
        model.eval();
        using var noGrad = torch.no_grad();
        var features = extractor.Compute(samples).NormalizedPerUtterance();
        using var input = features.ToTensor().unsqueeze(0);
        var (logProbs, _) = model.call(input, torch.tensor(new long[] { features.Frames }));
        var expected = logProbs[0].contiguous().data<float>().ToArray();
        Assert.Equal(expected.Length, posteriors.Values.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], posteriors.Values[i], 4);
    }
}
