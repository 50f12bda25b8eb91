// Multi-head self-attention with rotary position embeddings (RoPE, the GPT-NeoX "rotate half" form): positions enter
// as rotations of queries and keys, so attention scores depend only on relative offsets and no position table limits
// the utterance length. Padded frames are masked out as keys.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DgTools.Model;

internal sealed class RotarySelfAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly LayerNorm norm;
    private readonly Linear in_proj;
    private readonly Linear out_proj;
    private readonly SeededDropout dropout;
    private readonly int _heads;

    public RotarySelfAttention(ModelConfig config, DropoutRandomness randomness) : base(nameof(RotarySelfAttention))
    {
        _heads = config.NumHeads;
        norm = nn.LayerNorm(config.DModel);
        in_proj = nn.Linear(config.DModel, 3 * config.DModel);
        out_proj = nn.Linear(config.DModel, config.DModel);
        dropout = new SeededDropout(config.Dropout, randomness);
        RegisterComponents();
    }

    /// <param name="x">(B, T, D).</param>
    /// <param name="valid">(B, T) bool, true for real frames.</param>
    public override Tensor forward(Tensor x, Tensor valid)
    {
        var (b, t, d) = (x.shape[0], x.shape[1], x.shape[2]);
        var headDim = d / _heads;
        var qkv = in_proj.call(norm.call(x)).view(b, t, 3, _heads, headDim).permute(2, 0, 3, 1, 4);
        var (cos, sin) = RotaryTables(t, headDim, x.device);
        var q = Rotate(qkv[0], cos, sin);
        var k = Rotate(qkv[1], cos, sin);
        var keyMask = valid.unsqueeze(1).unsqueeze(2);
        var attended = nn.functional.scaled_dot_product_attention(q, k, qkv[2], keyMask);
        return dropout.call(out_proj.call(attended.transpose(1, 2).reshape(b, t, d)));
    }

    /// <summary>cos and sin of position × frequency, each (T, headDim) with the half-table repeated.</summary>
    internal static (Tensor Cos, Tensor Sin) RotaryTables(long frames, long headDim, Device device)
    {
        var inverseFrequency = tensor(Enumerable.Range(0, (int)headDim / 2)
            .Select(i => (float)(1.0 / Math.Pow(10000.0, 2.0 * i / headDim))).ToArray(), device: device);
        var angles = arange(frames, dtype: ScalarType.Float32, device: device).unsqueeze(1).mul(inverseFrequency.unsqueeze(0));
        angles = cat([angles, angles], 1);
        return (angles.cos(), angles.sin());
    }

    private static Tensor Rotate(Tensor x, Tensor cos, Tensor sin)
    {
        var half = x.shape[^1] / 2;
        var rotated = cat([x.narrow(-1, half, half).neg(), x.narrow(-1, 0, half)], -1);
        return x.mul(cos).add(rotated.mul(sin), KeptScalars.One);
    }
}
