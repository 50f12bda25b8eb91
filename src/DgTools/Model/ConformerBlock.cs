using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DgTools.Model;

/// <summary>One Conformer layer: ½ feed-forward, self-attention, convolution, ½ feed-forward, final LayerNorm.</summary>
internal sealed class ConformerBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly FeedForward ff1;
    private readonly RotarySelfAttention attn;
    private readonly ConvolutionModule conv;
    private readonly FeedForward ff2;
    private readonly LayerNorm norm_out;

    public ConformerBlock(ModelConfig config, DropoutRandomness randomness) : base(nameof(ConformerBlock))
    {
        ff1 = new FeedForward(config, randomness);
        attn = new RotarySelfAttention(config, randomness);
        conv = new ConvolutionModule(config, randomness);
        ff2 = new FeedForward(config, randomness);
        norm_out = nn.LayerNorm(config.DModel);
        RegisterComponents();
    }

    /// <param name="x">(B, T, D).</param>
    /// <param name="valid">(B, T) bool, true for real frames.</param>
    public override Tensor forward(Tensor x, Tensor valid)
    {
        x = x.add(ff1.call(x), KeptScalars.Half);
        x = x.add(attn.call(x, valid), KeptScalars.One);
        x = x.add(conv.call(x, valid), KeptScalars.One);
        x = x.add(ff2.call(x), KeptScalars.Half);
        return norm_out.call(x);
    }
}
