// AdamW (Loshchilov & Hutter) written out so that its whole state is a set of named tensors the trainer can save and
// restore exactly. Decoupled weight decay applies to matrices and convolution kernels, not to biases and norms. With
// anchors (the forgetting guard) the decay pulls towards the starting weights instead of towards zero: a decoupled
// form of the L2-SP penalty.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DgTools.Training;

public sealed class AdamW : IDisposable
{
    private readonly IReadOnlyList<(string Name, Parameter Parameter)> _parameters;
    private readonly Dictionary<string, Tensor> _firstMoments = [];
    private readonly Dictionary<string, Tensor> _secondMoments = [];
    private readonly Dictionary<string, Tensor> _anchors = [];
    private readonly Dictionary<string, double> _rateScales = [];

    /// <param name="rateScale">Per parameter name: a factor on the learning rate (null or 1: the rate itself).</param>
    public AdamW(IEnumerable<(string Name, Parameter Parameter)> parameters, double weightDecay,
        bool decayTowardsStart = false, double beta1 = 0.9, double beta2 = 0.98, double epsilon = 1e-8,
        Func<string, double>? rateScale = null)
    {
        _parameters = parameters.ToList();
        foreach (var (name, _) in _parameters)
            if (rateScale?.Invoke(name) is { } f && f != 1) _rateScales[name] = f;
        (WeightDecay, Beta1, Beta2, Epsilon) = (weightDecay, beta1, beta2, epsilon);
        foreach (var (name, p) in _parameters)
        {
            _firstMoments[name] = zeros_like(p).DetachFromDisposeScope();
            _secondMoments[name] = zeros_like(p).DetachFromDisposeScope();
            if (!decayTowardsStart) continue;
            // Held in a variable until clone() has copied from it: a temporary that is only an argument of a native
            // call can be finalized by the GC during that call (use after free in libtorch).
            using var detached = p.detach();
            _anchors[name] = detached.clone().DetachFromDisposeScope();
        }
    }

    public double WeightDecay { get; }
    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Epsilon { get; }

    /// <summary>Updates applied so far (bias correction counts these).</summary>
    public long Updates { get; private set; }

    public void Step(double learningRate)
    {
        Updates++;
        var correction1 = 1 - Math.Pow(Beta1, Updates);
        var correction2 = Math.Sqrt(1 - Math.Pow(Beta2, Updates));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var s = new StepScalars(this, learningRate, correction1, correction2);
        foreach (var (name, p) in _parameters)
        {
            var grad = p.grad;
            if (grad is null || !p.requires_grad) continue;
            var (m, v) = (_firstMoments[name], _secondMoments[name]);
            m.mul_(s.Beta1).add_(grad, s.OneMinusBeta1);
            v.mul_(s.Beta2).addcmul_(grad, grad, s.OneMinusBeta2);
            if (WeightDecay > 0 && p.dim() > 1)
            {
                if (_anchors.TryGetValue(name, out var anchor)) p.mul_(s.KeepAfterDecay).add_(anchor, s.Decay); // p − d·(p − anchor)
                else p.mul_(s.KeepAfterDecay);
            }
            var denominator = v.sqrt().mul_(s.InverseCorrection2).add_(s.Epsilon);
            if (_rateScales.TryGetValue(name, out var factor)) p.addcdiv_(m, denominator, s.ScaledStepSize(factor));
            else p.addcdiv_(m, denominator, s.StepSize);
        }
    }

    /// <summary>This update's numbers as Scalars that stay reachable for the whole update (see Model/KeptScalars.cs).</summary>
    private sealed class StepScalars(AdamW o, double learningRate, double correction1, double correction2) : IDisposable
    {
        public readonly Scalar Beta1 = o.Beta1.ToScalar(), OneMinusBeta1 = (1 - o.Beta1).ToScalar(),
            Beta2 = o.Beta2.ToScalar(), OneMinusBeta2 = (1 - o.Beta2).ToScalar(), Decay = (learningRate * o.WeightDecay).ToScalar(),
            KeepAfterDecay = (1 - learningRate * o.WeightDecay).ToScalar(), InverseCorrection2 = (1 / correction2).ToScalar(),
            Epsilon = o.Epsilon.ToScalar(), StepSize = (-learningRate / correction1).ToScalar();
        private readonly Dictionary<double, Scalar> _scaled = [];

        /// <summary>The step size for a parameter whose rate is scaled by <paramref name="factor"/> (kept until disposal).</summary>
        public Scalar ScaledStepSize(double factor)
        {
            if (!_scaled.TryGetValue(factor, out var scalar)) _scaled[factor] = scalar = (-learningRate * factor / correction1).ToScalar();
            return scalar;
        }

        public void Dispose()
        {
            foreach (var scalar in new[] { Beta1, OneMinusBeta1, Beta2, OneMinusBeta2, Decay, KeepAfterDecay, InverseCorrection2, Epsilon, StepSize })
                scalar.Dispose();
            foreach (var scalar in _scaled.Values) scalar.Dispose();
        }
    }

    /// <summary>The state as named tensors: exp_avg.NAME, exp_avg_sq.NAME, anchor.NAME (live tensors; copy to keep).</summary>
    public IEnumerable<(string Name, Tensor Tensor)> StateTensors()
    {
        foreach (var (name, _) in _parameters)
        {
            yield return ("exp_avg." + name, _firstMoments[name]);
            yield return ("exp_avg_sq." + name, _secondMoments[name]);
            if (_anchors.TryGetValue(name, out var anchor)) yield return ("anchor." + name, anchor);
        }
    }

    public void LoadState(long updates, IReadOnlyDictionary<string, Tensor> tensors)
    {
        using var noGrad = no_grad();
        foreach (var (name, target) in StateTensors())
        {
            if (!tensors.TryGetValue(name, out var source))
                throw new ModelFileError($"training state lacks optimizer tensor {name}");
            target.copy_(source);
        }
        Updates = updates;
    }

    public void Dispose()
    {
        foreach (var t in _firstMoments.Values.Concat(_secondMoments.Values).Concat(_anchors.Values)) t.Dispose();
    }
}
