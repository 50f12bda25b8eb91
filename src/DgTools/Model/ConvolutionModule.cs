using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DgTools.Model;

/// <summary>
/// Conformer convolution module: LayerNorm → pointwise (2D) → GLU → depthwise conv → LayerNorm → SiLU → pointwise →
/// dropout. LayerNorm instead of the paper's BatchNorm: no running statistics, so padding and batch composition never
/// change a result, and training and inference compute the same function.
/// </summary>
internal sealed class ConvolutionModule : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly LayerNorm norm;
    private readonly Linear pointwise1;
    private readonly Conv1d depthwise;
    private readonly LayerNorm depthwise_norm;
    private readonly Linear pointwise2;
    private readonly SeededDropout dropout;

    public ConvolutionModule(ModelConfig config, DropoutRandomness randomness) : base(nameof(ConvolutionModule))
    {
        var d = config.DModel;
        norm = nn.LayerNorm(d);
        pointwise1 = nn.Linear(d, 2 * d);
        depthwise = nn.Conv1d(d, d, config.ConvKernel, padding: config.ConvKernel / 2, groups: d);
        depthwise_norm = nn.LayerNorm(d);
        pointwise2 = nn.Linear(d, d);
        dropout = new SeededDropout(config.Dropout, randomness);
        RegisterComponents();
    }

    /// <param name="x">(B, T, D).</param>
    /// <param name="valid">(B, T) bool, true for real frames; the others are zeroed before the time convolution.</param>
    public override Tensor forward(Tensor x, Tensor valid)
    {
        var y = nn.functional.glu(pointwise1.call(norm.call(x)), dim: -1);
        y = y.mul(valid.unsqueeze(2).to(y.dtype));
        y = depthwise.call(y.transpose(1, 2)).transpose(1, 2);
        y = nn.functional.silu(depthwise_norm.call(y));
        return dropout.call(pointwise2.call(y));
    }
}
