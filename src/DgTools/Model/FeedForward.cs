using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DgTools.Model;

/// <summary>Pre-norm feed-forward: LayerNorm → Linear → SiLU → dropout → Linear → dropout. The block adds half of it.</summary>
internal sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm norm;
    private readonly Linear linear1;
    private readonly Linear linear2;
    private readonly SeededDropout dropout;

    public FeedForward(ModelConfig config, DropoutRandomness randomness) : base(nameof(FeedForward))
    {
        norm = nn.LayerNorm(config.DModel);
        linear1 = nn.Linear(config.DModel, config.FeedForwardDim);
        linear2 = nn.Linear(config.FeedForwardDim, config.DModel);
        dropout = new SeededDropout(config.Dropout, randomness);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) =>
        dropout.call(linear2.call(dropout.call(nn.functional.silu(linear1.call(norm.call(x))))));
}
