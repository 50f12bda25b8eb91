// Weight-space ensembling (WiSE-FT, Wortsman et al. 2022) as a forgetting guard: the model a fine-tuning run saves is
// start + ratio × (trained − start), a point on the straight line between the general model and the fine-tuned one.
// Both ends are good networks from one basin, so the line between them stays good: the customer's words survive a
// ratio of 0.5 while the general domain gets back most of what training took (docs/recipe.md).
// Training itself continues from the trained weights; only what is validated and saved is merged.
using DgTools.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace DgTools.Training;

public sealed class WeightMerge : IDisposable
{
    private readonly List<(TorchSharp.Modules.Parameter Live, Tensor Start, Tensor Trained)> _weights = [];
    private readonly double _ratio;

    /// <param name="model">The model being trained.</param>
    /// <param name="start">The same network with the starting weights (copied; the caller keeps it).</param>
    /// <param name="ratio">Share of the training's change kept, in [0, 1].</param>
    public WeightMerge(ConformerCtc model, ConformerCtc start, double ratio)
    {
        if (ratio is < 0 or > 1 or double.NaN) throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "must be in [0, 1]");
        _ratio = ratio;
        var starting = start.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var _ = no_grad();
        foreach (var (name, live) in model.named_parameters())
        {
            // Held until clone() has copied from it (a bare temporary can be finalized during the native call).
            using var detached = starting[name].detach();
            _weights.Add((live, detached.clone(), zeros_like(live)));
        }
    }

    /// <summary>
    /// Puts the merged weights into the model until the returned scope is disposed; then the trained weights are back,
    /// bit for bit, so the run (and its resume state) never sees the merge.
    /// </summary>
    public IDisposable Apply()
    {
        using (no_grad())
        {
            using var ratio = _ratio.ToScalar();
            foreach (var (live, start, trained) in _weights)
            {
                trained.copy_(live);
                using var change = live.sub(start);
                live.copy_(start).add_(change, ratio);
            }
        }
        return new Restore(this);
    }

    private sealed class Restore(WeightMerge merge) : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (_done) return;
            _done = true;
            using var _ = no_grad();
            foreach (var (live, _, trained) in merge._weights) live.copy_(trained);
        }
    }

    public void Dispose()
    {
        foreach (var (_, start, trained) in _weights)
        {
            start.Dispose();
            trained.Dispose();
        }
    }
}
