using DgTools.Inference;
// Frame cross-entropy pretraining (TrainerOptions.FrameCrossEntropyUpdates): the CE phase teaches a tiny model the
// per-frame targets, the trainer switches to CTC after the stated number of updates, targets follow a time stretch,
// missing targets are refused, and FrameTargetAligner's paths spell the labels.
using DgTools.Decoding;
using DgTools.Model;
using DgTools.Training;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DgTools.Tests.Training;

[Trait("Tier", "Slow")]   // training runs, processes or timed trials: the full suite only (not scripts/test.sh --fast)
public class FrameCrossEntropyTests(ITestOutputHelper output)
{
    private static ModelConfig Config => TrainerResumeTests.Config with { Dropout = 0 };

    /// <summary>
    /// Utterances whose features spell their frame targets: every output frame gets a unit (blank half the time),
    /// and its 4 feature frames carry that unit's pattern (bins 3u…3u+2 raised) plus noise.
    /// </summary>
    private static InMemoryUtterances PatternUtterances(int count, int seed)
    {
        var random = new Random(seed);
        var dim = Config.InputDim;
        var list = new List<Utterance>();
        for (var i = 0; i < count; i++)
        {
            var frames = 4 * random.Next(10, 20);
            var outputFrames = (int)ConformerCtc.OutputLength(frames, Config);
            var targets = Enumerable.Range(0, outputFrames).Select(_ => random.Next(2) == 0 ? 0 : random.Next(1, Config.NumUnits)).ToArray();
            var features = new float[frames * dim];
            for (var f = 0; f < frames; f++)
            {
                var unit = targets[Math.Min(f / 4, outputFrames - 1)];
                for (var b = 0; b < dim; b++)
                    features[f * dim + b] = (float)(0.3 * (random.NextDouble() * 2 - 1) + (b / 3 == unit ? 1.5 : 0));
            }
            var labels = CtcAlignment.Collapse(targets).ToArray();
            list.Add(new Utterance(features, frames, labels) { FrameTargets = targets });
        }
        return new InMemoryUtterances(list);
    }

    private static TrainerOptions Options(int ceUpdates) => new()
    {
        Seed = 5,
        Batching = new BatchingOptions { MaxFramesPerBatch = 100_000 },   // the whole set is one batch
        Schedule = new LearningRateSchedule { PeakLearningRate = 3e-3, WarmupSteps = 5, TotalSteps = 200 },
        Augmentation = AugmentationOptions.None,
        IntermediateCtcWeight = 0.3,
        FrameCrossEntropyUpdates = ceUpdates,
    };

    private static List<Utterance> All(InMemoryUtterances data) => Enumerable.Range(0, data.Count).Select(data.Load).ToList();

    [Fact]
    public void The_cross_entropy_phase_teaches_the_frame_targets()
    {
        var data = PatternUtterances(8, 1);
        using var model = new ConformerCtc(Config, seed: 3);
        using var trainer = new Trainer(model, data, Options(ceUpdates: 1000));
        var accuracyBefore = FrameAccuracy(model, data);
        var losses = Enumerable.Range(0, 100).Select(_ => trainer.TrainStep().Loss).ToList();
        var accuracyAfter = FrameAccuracy(model, data);

        output.WriteLine($"CE {losses[0]:F3} → {losses[^1]:F3}; frame accuracy {accuracyBefore:P0} → {accuracyAfter:P0}");
        Assert.True(trainer.InFrameCrossEntropyPhase);
        Assert.True(losses[^1] < 0.3 * losses[0], $"CE fell only from {losses[0]:F3} to {losses[^1]:F3}");
        Assert.True(accuracyBefore < 0.5, $"an untrained model should not know the targets ({accuracyBefore:P0})");
        Assert.True(accuracyAfter > 0.9, $"greedy output matches only {accuracyAfter:P0} of the target frames");
    }

    /// <summary>Share of real output frames whose most likely unit is the frame target (eval mode).</summary>
    private static double FrameAccuracy(ConformerCtc model, InMemoryUtterances data)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        model.eval();
        var utterances = All(data);
        var batch = Trainer.Collate(utterances, Config.InputDim);
        var (logProbs, lengths) = model.call(batch.Features, batch.Lengths);
        var best = logProbs.argmax(-1).data<long>().ToArray();
        var (frames, right, total) = (logProbs.shape[1], 0, 0);
        for (var b = 0; b < utterances.Count; b++)
        {
            var targets = utterances[b].FrameTargets!;
            Assert.Equal(targets.Length, lengths[b].item<long>());
            for (var t = 0; t < targets.Length; t++, total++)
                if (best[b * frames + t] == targets[t]) right++;
        }
        return right / (double)total;
    }

    [Fact]
    public void After_the_stated_updates_the_loss_is_ctc()
    {
        const int ceUpdates = 3;
        var data = PatternUtterances(6, 2);
        using var model = new ConformerCtc(Config, seed: 4);
        using var trainer = new Trainer(model, data, Options(ceUpdates));
        for (var step = 0; step < ceUpdates + 2; step++)
        {
            var inCe = trainer.InFrameCrossEntropyPhase;
            var (ce, ctc) = ReferenceLosses(model, All(data));   // dropout 0, no augmentation: train = eval
            var reported = trainer.TrainStep().Loss;
            output.WriteLine($"step {step}: reported {reported:F5}, CE {ce:F5}, CTC {ctc:F5}");
            Assert.Equal(step < ceUpdates, inCe);
            Assert.True(Math.Abs(ce - ctc) > 0.05, "the two losses must differ for this test to tell them apart");
            Assert.Equal(inCe ? ce : ctc, reported, 1e-3 * Math.Max(1, reported));
        }
        Assert.False(trainer.InFrameCrossEntropyPhase);
    }

    /// <summary>Both losses as the trainer should weigh them (0.7 final + 0.3 intermediate), computed independently.</summary>
    private static (double Ce, double Ctc) ReferenceLosses(ConformerCtc model, List<Utterance> utterances)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        model.eval();
        var batch = Trainer.Collate(utterances, Config.InputDim);
        var (final, intermediate, lengths) = model.ForwardWithIntermediate(batch.Features, batch.Lengths, Config.NumLayers / 2);
        double Ce(Tensor logProbs)
        {
            var (values, frames, units) = (logProbs.data<float>().ToArray(), logProbs.shape[1], Config.NumUnits);
            var (sum, count) = (0.0, 0);
            for (var b = 0; b < utterances.Count; b++)
            {
                var targets = utterances[b].FrameTargets!;
                for (var t = 0; t < targets.Length; t++, count++) sum -= values[(b * frames + t) * units + targets[t]];
            }
            return sum / count;
        }
        double Ctc(Tensor logProbs) => nn.functional.ctc_loss(logProbs.transpose(0, 1), batch.Targets, lengths,
            batch.TargetLengths, blank: 0, zero_infinity: true, reduction: nn.Reduction.Mean).item<float>();
        return (0.7 * Ce(final) + 0.3 * Ce(intermediate), 0.7 * Ctc(final) + 0.3 * Ctc(intermediate));
    }

    [Fact]
    public void Targets_follow_a_time_stretch_to_the_models_output_length()
    {
        Assert.Equal([0, 0, 1, 1, 2, 2], FrameCrossEntropy.Resample([0, 1, 2], 6));
        Assert.Equal([0, 2, 4], FrameCrossEntropy.Resample([0, 1, 2, 3, 4, 5], 3));
        Assert.Equal([0, 0, 1, 1, 2], FrameCrossEntropy.Resample([0, 1, 2], 5));
        Assert.Empty(FrameCrossEntropy.Resample([1], 0));

        var utterance = PatternUtterances(1, 3).Load(0);
        var targets = utterance.FrameTargets!;
        foreach (var speed in new[] { 0.8, 1.25 })
        {
            var stretched = Augmentation.TimeStretch(utterance, speed);
            Assert.Same(targets, stretched.FrameTargets);
            var outputFrames = (int)ConformerCtc.OutputLength(stretched.Frames, Config);
            Assert.NotEqual(targets.Length, outputFrames);
            var mapped = FrameCrossEntropy.Resample(targets, outputFrames);
            Assert.Equal(outputFrames, mapped.Length);
            Assert.Equal(targets[0], mapped[0]);
            // Every output frame takes the target at its relative position (nearest neighbour from the left).
            for (var t = 0; t < outputFrames; t++) Assert.Equal(targets[t * targets.Length / outputFrames], mapped[t]);
        }
        Assert.Same(targets, Augmentation.Apply(utterance, new AugmentationOptions(), new Random(1)).FrameTargets);

        // And the trainer takes stretched utterances in its CE phase.
        using var model = new ConformerCtc(Config, seed: 1);
        using var trainer = new Trainer(model, PatternUtterances(4, 4),
            Options(ceUpdates: 10) with { Augmentation = new AugmentationOptions { MinSpeed = 0.8, MaxSpeed = 1.25 } });
        Assert.All(Enumerable.Range(0, 3), _ => Assert.True(double.IsFinite(trainer.TrainStep().Loss)));
    }

    [Fact]
    public void Utterances_without_targets_are_refused_in_the_cross_entropy_phase()
    {
        var data = TrainerResumeTests.RandomUtterances(4, 5);
        using var model = new ConformerCtc(Config, seed: 1);
        using (var trainer = new Trainer(model, data, Options(ceUpdates: 2)))
        {
            var error = Assert.Throws<DatasetError>(() => trainer.TrainStep());
            Assert.Contains("no frame targets", error.Message);
            Assert.Equal(0, trainer.Progress.Step);
        }
        using var ctcOnly = new Trainer(model, data, Options(ceUpdates: 0));
        Assert.True(double.IsFinite(ctcOnly.TrainStep().Loss));
    }

    [Fact]
    public void Aligned_frame_targets_spell_the_labels()
    {
        var config = Config;
        var data = TrainerResumeTests.RandomUtterances(10, 6);
        var tooLong = new Utterance(new float[12 * config.InputDim], 12, [1, 2, 3, 4, 5]);   // 3 output frames
        var utterances = All(data).Append(tooLong).ToList();
        using var model = new ConformerCtc(config, seed: 2);
        using (var trainer = new Trainer(model, data, Options(ceUpdates: 0)))
            for (var i = 0; i < 3; i++) trainer.TrainStep();

        var paths = FrameTargetAligner.Align(model, new InMemoryUtterances(utterances), maxFramesPerBatch: 200);

        Assert.True(model.training, "the model's mode is put back");
        Assert.Null(paths[^1]);
        for (var i = 0; i < data.Count; i++)
        {
            var (labels, path) = (utterances[i].Labels, paths[i]);
            var outputFrames = ConformerCtc.OutputLength(utterances[i].Frames, config);
            var needed = labels.Length + labels.Zip(labels.Skip(1)).Count(p => p.First == p.Second);
            if (needed > outputFrames)
            {
                Assert.Null(path);
                continue;
            }
            Assert.NotNull(path);
            Assert.Equal(outputFrames, path.Length);
            Assert.Equal(labels, CtcAlignment.Collapse(path));
        }
        // An untrained model's greedy reading is not the labels: the paths come from forcing them, not from argmax.
        var greedy = new int[data.Count][];
        using (var engine = InferenceEngine.Over(model))
            engine.Posteriors(data, (i, _, p) => greedy[i] = [.. CtcAlignment.Collapse(CtcAlignment.BestPath(p))]);
        Assert.Contains(Enumerable.Range(0, data.Count), i => !greedy[i].SequenceEqual(utterances[i].Labels));
    }
}
