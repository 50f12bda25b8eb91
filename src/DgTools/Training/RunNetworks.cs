// The networks of one autotrain run: the model being trained, the frozen starting copy (the distillation guard's
// teacher and the weight merge's other end) when a guard needs it, the weight merge, and the trainer over the
// (timed) training data.
using DgTools.Model;
using DgTools.Reporting;

namespace DgTools.Training;

internal sealed class RunNetworks : IDisposable
{
    private readonly ConformerCtc? _start;

    public RunNetworks(DgModel input, string modelPath, TrainingPlan plan, IUtteranceSource train, IRunReporter reporter)
    {
        Model = ConformerCtc.FromFile(input, modelPath);
        Timed = new TimedUtterances(train);
        var distill = plan.Trainer.Guard.DistillationWeight > 0;
        var merging = plan.MergeRatio < 1;
        _start = distill || merging ? ConformerCtc.FromFile(input, modelPath) : null;
        if (distill) reporter.Info($"Distillation: the starting model's outputs on the replayed samples are kept (weight {plan.Trainer.Guard.DistillationWeight:0.###}).");
        Merge = merging ? new WeightMerge(Model, _start!, plan.MergeRatio) : null;
        if (merging) reporter.Info($"Weight merge: saved models keep {plan.MergeRatio:P0} of the change to the starting weights (--merge-ratio).");
        Trainer = new Trainer(Model, Timed, plan.Trainer, distill ? _start : null);
    }

    public ConformerCtc Model { get; }
    public TimedUtterances Timed { get; }
    /// <summary>Applies the merged weights for as long as it is held (null: no merge).</summary>
    public WeightMerge? Merge { get; }
    public Trainer Trainer { get; }
    public RunTimes Time { get; } = new();

    public void Dispose()
    {
        Trainer.Dispose();
        Merge?.Dispose();
        _start?.Dispose();
        Model.Dispose();
    }
}
