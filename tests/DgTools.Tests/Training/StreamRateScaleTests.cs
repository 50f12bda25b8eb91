using DgTools.Training;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace DgTools.Tests.Training;

public class StreamRateScaleTests
{
    [Fact]
    public void ScaledParametersTakeProportionallyLargerAdamSteps()
    {
        using var scope = NewDisposeScope();
        var plain = new Parameter(zeros(4, 3));
        var scaled = new Parameter(zeros(4, 3));
        using var optimizer = new DgTools.Training.AdamW([("layers.0.w", plain), ("speech_embedding_proj.weight", scaled)], weightDecay: 0,
            rateScale: name => name.StartsWith("speech_embedding_", StringComparison.Ordinal) ? 20 : 1);
        var target = arange(12, ScalarType.Float32).reshape(4, 3).sub(5.5);
        for (var step = 0; step < 3; step++)
        {
            plain.grad?.zero_();
            scaled.grad?.zero_();
            plain.sub(target).pow(2).sum().add(scaled.sub(target).pow(2).sum()).backward();
            optimizer.Step(1e-3);
        }
        var ratio = scaled.abs().sum().item<float>() / plain.abs().sum().item<float>();
        Assert.InRange(ratio, 19.5, 20.5);
    }
}
