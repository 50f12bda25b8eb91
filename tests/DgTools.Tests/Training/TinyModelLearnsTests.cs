// A tiny Conformer-CTC really learns: spoken digits (one speaker, 8 takes of each digit) to characters. Loss and
// greedy-decoded character error on 2 held-out takes of every digit must fall by the stated margins.
using DgTools.Evaluation;
using DgTools.Model;
using DgTools.Training;
using DgTools.Tests.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace DgTools.Tests.Training;

[Trait("Tier", "Slow")]   // training runs, processes or timed trials: the full suite only (not scripts/test.sh --fast)
public class TinyModelLearnsTests(ITestOutputHelper output)
{
    internal static ModelConfig TinyConfig => new()
    {
        InputDim = FsddDigits.MelBins, NumUnits = FsddDigits.NumUnits, DModel = 64, NumLayers = 2, NumHeads = 4,
        FeedForwardDim = 128, ConvKernel = 7, Subsampling = 4, SubsamplingChannels = 16, Dropout = 0.1,
    };

    private const int Steps = 200;

    [FsddFact]
    public void LossAndValidationErrorFallOnSpokenDigits()
    {
        // One intra-op thread (set once for the whole test process, Training/SingleTorchThread.cs): on a busy 2-core
        // machine two threads spend most of a tiny model's step waiting for each other (300 steps: 264 s at load 18).
        var train = FsddDigits.Load("george", Enumerable.Range(10, 8));
        var validation = FsddDigits.Load("george", [1, 2]);
        using var model = new ConformerCtc(TinyConfig, seed: 7);
        var options = new TrainerOptions
        {
            Seed = 7,
            Batching = new BatchingOptions { MaxFramesPerBatch = 1200 },
            Schedule = new LearningRateSchedule { PeakLearningRate = 3e-3, WarmupSteps = 30, TotalSteps = Steps },
            Augmentation = new AugmentationOptions { FrequencyMasks = 1, MaxFrequencyMaskWidth = 5, MaxTimeMaskWidth = 5 },
        };
        using var trainer = new Trainer(model, new InMemoryUtterances(train.Select(t => t.Utterance).ToList()), options);
        var validationSource = new InMemoryUtterances(validation.Select(v => v.Utterance).ToList());

        double Cer() => CharacterErrorRate(trainer.GreedyDecode(validationSource), validation.Select(v => v.Text));
        var cerBefore = Cer();
        var losses = new List<double>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (trainer.Progress.Step < Steps) losses.Add(trainer.TrainStep().Loss);
        var cerAfter = Cer();

        var firstLoss = losses.Take(10).Average();
        var lastLoss = losses.TakeLast(10).Average();
        output.WriteLine($"{losses.Count} steps in {clock.Elapsed.TotalSeconds:F1} s; loss {firstLoss:F2} → {lastLoss:F2}; CER {cerBefore:P0} → {cerAfter:P0}");
        Assert.True(lastLoss < 0.3 * firstLoss, $"loss fell only from {firstLoss:F2} to {lastLoss:F2}");
        Assert.True(cerBefore > 0.9, $"an untrained model should not read digits (CER {cerBefore:P0})");
        Assert.True(cerAfter < 0.3, $"validation CER after training is {cerAfter:P0}");
    }

    private static double CharacterErrorRate(IReadOnlyList<int[]> hypotheses, IEnumerable<string> references) =>
        WordErrorRate.ScoreCharacters(references.Zip(hypotheses, (r, h) => (r, FsddDigits.Decode(h)))).Rate;
}
