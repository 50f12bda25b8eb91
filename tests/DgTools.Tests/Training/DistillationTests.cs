// The distillation guard: on replayed general-domain utterances the fine-tuned model is held to the starting model's
// output distribution. Tiny models on random data: the same fine-tuning run with and without it, compared by how far
// the outputs on the replayed utterances moved (KL from the starting model), and by whether the customer data was
// still learned.
using DgTools.Model;
using DgTools.Training;
using Xunit;
using static TorchSharp.torch;

namespace DgTools.Tests.Training;

[Trait("Tier", "Slow")]   // training runs, processes or timed trials: the full suite only (not scripts/test.sh --fast)
public class DistillationTests
{
    private static readonly InMemoryUtterances Customer = TrainerResumeTests.RandomUtterances(16, 11);
    private static readonly InMemoryUtterances General = TrainerResumeTests.RandomUtterances(16, 12);

    private static TrainerOptions Options(double distillation) => TrainerResumeTests.Options() with
    {
        Schedule = new LearningRateSchedule { PeakLearningRate = 3e-3, WarmupSteps = 2, TotalSteps = 30 },
        Guard = new ForgettingGuard { DistillationWeight = distillation },
        IntermediateCtcWeight = 0,
    };

    /// <summary>Fine-tunes a copy of the starting model for 30 steps; returns (KL on the general utterances, mean
    /// CTC loss on the customer utterances before, after).</summary>
    private static (double Kl, double Before, double After) FineTune(double distillation)
    {
        using var teacher = new ConformerCtc(TrainerResumeTests.Config, seed: 5);
        using var model = new ConformerCtc(TrainerResumeTests.Config, seed: 5);
        var mixed = new ReplayMixedUtterances(Customer, General, 1.0, seed: 1);
        using var trainer = new Trainer(model, mixed, Options(distillation), teacher);
        var before = CtcLoss(model, Customer);
        for (var i = 0; i < 30; i++) trainer.TrainStep();
        return (MeanKl(teacher, model, General), before, CtcLoss(model, Customer));
    }

    private static Trainer.CollatedBatch Batch(InMemoryUtterances data) =>
        Trainer.Collate(Enumerable.Range(0, data.Count).Select(data.Load).ToList(), TrainerResumeTests.Config.InputDim);

    private static double MeanKl(ConformerCtc teacher, ConformerCtc model, InMemoryUtterances data)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        teacher.eval();
        model.eval();
        var batch = Batch(data);
        var (t, lengths) = teacher.call(batch.Features, batch.Lengths);
        var (s, _) = model.call(batch.Features, batch.Lengths);
        var perFrame = t.exp().mul(t.sub(s)).sum(-1);
        var mask = arange(perFrame.shape[1]).unsqueeze(0).lt(lengths.unsqueeze(1));
        return perFrame.masked_select(mask).mean().item<float>();
    }

    private static double CtcLoss(ConformerCtc model, InMemoryUtterances data)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        model.eval();
        var batch = Batch(data);
        var (logProbs, lengths) = model.call(batch.Features, batch.Lengths);
        return nn.functional.ctc_loss(logProbs.transpose(0, 1), batch.Targets, lengths, batch.TargetLengths,
            blank: 0, zero_infinity: true, reduction: nn.Reduction.Mean).item<float>();
    }

    [Fact]
    public void Distillation_keeps_the_outputs_on_replayed_utterances_near_the_starting_model_and_still_learns()
    {
        var plain = FineTune(0);
        var distilled = FineTune(5);
        Assert.True(plain.Kl > 0.05, $"without distillation the general outputs should move (KL {plain.Kl:F4})");
        Assert.True(distilled.Kl < plain.Kl / 2, $"KL with distillation {distilled.Kl:F4}, without {plain.Kl:F4}");
        Assert.True(distilled.After < distilled.Before * 0.9,
            $"the customer data should still be learned: CTC loss {distilled.Before:F3} → {distilled.After:F3}");
    }

    [Fact]
    public void Distillation_without_a_teacher_is_refused()
    {
        using var model = new ConformerCtc(TrainerResumeTests.Config, seed: 5);
        var mixed = new ReplayMixedUtterances(Customer, General, 1.0, seed: 1);
        Assert.Throws<ArgumentException>(() => new Trainer(model, mixed, Options(1)));
    }
}
