// Dropout whose random numbers come from a generator the trainer hands in for each step, so a run is reproducible
// from (seed, step) alone and two trainings in one process never share a random stream.
using TorchSharp;
using static TorchSharp.torch;

namespace DgTools.Model;

/// <summary>The generator the model's dropout layers draw from; the trainer sets it before each step.</summary>
public sealed class DropoutRandomness
{
    /// <summary>When null in training mode, dropout falls back to torch's global generator.</summary>
    public Generator? Generator { get; set; }
}

internal sealed class SeededDropout : nn.Module<Tensor, Tensor>
{
    private readonly double _p;
    private readonly DropoutRandomness _randomness;

    public SeededDropout(double p, DropoutRandomness randomness) : base(nameof(SeededDropout))
    {
        _p = p;
        _randomness = randomness;
    }

    public override Tensor forward(Tensor x)
    {
        if (!training || _p == 0) return x;
        if (_randomness.Generator is null) return nn.functional.dropout(x, _p, training: true);
        using var keep = empty_like(x).bernoulli_(1 - _p, _randomness.Generator);
        using var scale = (1 / (1 - _p)).ToScalar();
        return x.mul(keep).mul_(scale);
    }
}
