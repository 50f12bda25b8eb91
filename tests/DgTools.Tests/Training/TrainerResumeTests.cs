// An interrupted run, saved to a state file and restored into a fresh model and trainer, ends bit-identical to the
// uninterrupted run (CPU, fixed seed, same thread count): weights, optimizer moments, counters and every step's loss.
using DgTools.Model;
using DgTools.Tests.TestSupport;
using DgTools.Training;
using Xunit;
using static TorchSharp.torch;

namespace DgTools.Tests.Training;

[Trait("Tier", "Slow")]   // training runs, processes or timed trials: the full suite only (not scripts/test.sh --fast)
public class TrainerResumeTests
{
    internal static ModelConfig Config => new()
    {
        InputDim = 20, NumUnits = 6, DModel = 32, NumLayers = 2, NumHeads = 4, FeedForwardDim = 64, ConvKernel = 5,
        Subsampling = 4, SubsamplingChannels = 8, Dropout = 0.2,
    };

    internal static InMemoryUtterances RandomUtterances(int count, int seed)
    {
        var random = new Random(seed);
        var list = new List<Utterance>();
        for (var i = 0; i < count; i++)
        {
            var frames = random.Next(30, 90);
            var features = Enumerable.Range(0, frames * 20).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            var labels = Enumerable.Range(0, random.Next(1, 6)).Select(_ => random.Next(1, 6)).ToArray();
            list.Add(new Utterance(features, frames, labels));
        }
        return new InMemoryUtterances(list);
    }

    internal static TrainerOptions Options(ForgettingGuard? guard = null) => new()
    {
        Seed = 42,
        Batching = new BatchingOptions { MaxFramesPerBatch = 300 },
        Schedule = new LearningRateSchedule { PeakLearningRate = 1e-3, WarmupSteps = 4, TotalSteps = 20 },
        Guard = guard ?? ForgettingGuard.None,
        IntermediateCtcWeight = 0.3,
    };

    [Fact]
    public void AResumedRunEndsBitIdenticalToAnUninterruptedOne()
    {
        var data = RandomUtterances(24, 1);
        const int total = 14, interruptAt = 6;

        using var straightModel = new ConformerCtc(Config, seed: 3);
        using var straight = new Trainer(straightModel, data, Options(ForgettingGuard.FineTuning));
        var straightLosses = Enumerable.Range(0, total).Select(_ => straight.TrainStep().Loss).ToList();
        Assert.True(straight.Progress.Epoch >= 1, "the run should cross an epoch boundary");

        using var dir = new TempDirectory();
        var statePath = dir.Combine("state.dg");
        var resumedLosses = new List<double>();
        using (var firstModel = new ConformerCtc(Config, seed: 3))
        using (var first = new Trainer(firstModel, data, Options(ForgettingGuard.FineTuning)))
        {
            for (var i = 0; i < interruptAt; i++) resumedLosses.Add(first.TrainStep().Loss);
            TrainerStateFile.Write(statePath, first.CaptureState(), new ModelMetadata { Architecture = Config });
        }
        using var secondModel = new ConformerCtc(Config, seed: 99); // different start: everything must come from the file
        using var second = new Trainer(secondModel, data, Options(ForgettingGuard.FineTuning));
        var (state, _) = TrainerStateFile.Read(statePath);
        second.RestoreState(state);
        Assert.Equal(interruptAt, second.Progress.Step);
        while (second.Progress.Step < total) resumedLosses.Add(second.TrainStep().Loss);

        Assert.Equal(straightLosses, resumedLosses);
        Assert.Equal(straight.Progress, second.Progress);
        var (a, b) = (straight.CaptureState().Tensors, second.CaptureState().Tensors);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        Assert.All(a.Keys, k => Assert.True(a[k].Data.AsSpan().SequenceEqual(b[k].Data), $"{k} differs"));
    }

    [Fact]
    public void StateFromAnotherSeedIsRefused()
    {
        var data = RandomUtterances(4, 2);
        using var model = new ConformerCtc(Config);
        using var trainer = new Trainer(model, data, Options());
        var state = trainer.CaptureState() with { Seed = 7 };
        Assert.Throws<ModelFileError>(() => trainer.RestoreState(state));
    }

    [Fact]
    public void FrozenLayersDoNotMoveAndAnchoredWeightsStayCloser()
    {
        var data = RandomUtterances(12, 3);
        double DistanceFromStart(ForgettingGuard guard, out Dictionary<string, double> perTensor)
        {
            using var scope = NewDisposeScope();   // keeps the temporaries referenced while libtorch reads them
            using var model = new ConformerCtc(Config, seed: 5);
            var start = model.NamedTensors().ToDictionary(t => t.Key, t => t.Value.detach().clone());
            using var trainer = new Trainer(model, data, Options(guard) with { Schedule = new LearningRateSchedule { PeakLearningRate = 1e-2, WarmupSteps = 1, TotalSteps = 8 } });
            for (var i = 0; i < 8; i++) trainer.TrainStep();
            perTensor = model.NamedTensors().ToDictionary(t => t.Key, t => t.Value.sub(start[t.Key]).norm().item<float>() + 0.0);
            return perTensor.Values.Sum(d => d * d);
        }

        var free = DistanceFromStart(ForgettingGuard.None, out _);
        var anchored = DistanceFromStart(new ForgettingGuard { AnchorDecay = 20 }, out _);
        DistanceFromStart(new ForgettingGuard { FrozenLayers = 1 }, out var frozen);

        Assert.True(anchored < free, $"anchored moved {anchored}, free {free}");
        Assert.All(frozen.Where(t => t.Key.StartsWith("subsampling.") || t.Key.StartsWith("layers.0.")), t => Assert.Equal(0, t.Value));
        Assert.True(frozen["layers.1.ff1.linear1.weight"] > 0);
    }
}
