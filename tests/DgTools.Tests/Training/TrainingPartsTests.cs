using DgTools.Model;
using DgTools.Training;
using Xunit;

namespace DgTools.Tests.Training;

public class TrainingPartsTests
{
    [Fact]
    public void Validation_batches_keep_the_largest_tensor_under_glibcs_mmap_ceiling()
    {
        foreach (var config in new[] { new ModelConfig(), new ModelConfig { SubsamplingChannels = 256 }, new ModelConfig { InputDim = 40, SubsamplingChannels = 32 } })
        {
            var frames = config.InferenceFramesPerBatch();
            // The first convolution's output: ceil(T/2) × ceil(bins/2) × channels float32.
            var bytes = (long)(frames + 1) / 2 * ((config.InputDim + 1) / 2) * config.SubsamplingChannels * 4;
            Assert.InRange(bytes, 16L << 20, 32L << 20);
        }
        Assert.InRange(new ModelConfig().InferenceFramesPerBatch(), 2000, 3200);
    }

    [Fact]
    public void BatchesRespectTheFrameBoundAndCoverEveryUtteranceOnce()
    {
        var data = TrainerResumeTests.RandomUtterances(200, 4);
        var options = new BatchingOptions { MaxFramesPerBatch = 600 };
        var plan = LengthBucketedBatches.PlanEpoch(data, options, seed: 1, epoch: 0);
        Assert.Equal(Enumerable.Range(0, 200), plan.SelectMany(b => b).Order());
        Assert.All(plan, b => Assert.True(b.Length == 1 || b.Max(data.FramesOf) * b.Length <= 600));
        Assert.True(plan.Average(b => b.Length) > 5, "short utterances should share batches");
        // bucketing: within a batch lengths are close
        Assert.True(plan.Average(b => b.Max(data.FramesOf) - b.Min(data.FramesOf)) < 20);
    }

    [Fact]
    public void PlansAreSeededPerEpoch()
    {
        var data = TrainerResumeTests.RandomUtterances(100, 5);
        var options = new BatchingOptions { MaxFramesPerBatch = 400 };
        string Key(int seed, int epoch) => string.Join("|", LengthBucketedBatches.PlanEpoch(data, options, seed, epoch).Select(b => string.Join(",", b)));
        Assert.Equal(Key(1, 0), Key(1, 0));
        Assert.NotEqual(Key(1, 0), Key(1, 1));
        Assert.NotEqual(Key(1, 0), Key(2, 0));
    }

    [Fact]
    public void ShortestFirstCurriculumOrdersTheFirstEpochOnly()
    {
        var data = TrainerResumeTests.RandomUtterances(100, 6);
        var options = new BatchingOptions { MaxFramesPerBatch = 400, ShortestFirstFirstEpoch = true, LengthJitter = 0 };
        var first = LengthBucketedBatches.PlanEpoch(data, options, 1, 0).Select(b => b.Max(data.FramesOf)).ToList();
        Assert.Equal(first.Order(), first);
        var second = LengthBucketedBatches.PlanEpoch(data, options, 1, 1).Select(b => b.Max(data.FramesOf)).ToList();
        Assert.NotEqual(second.Order(), second);
    }

    [Fact]
    public void ScheduleWarmsUpLinearlyThenDecaysToTheFloor()
    {
        var s = new LearningRateSchedule { PeakLearningRate = 1e-3, WarmupSteps = 10, TotalSteps = 110, FinalFraction = 0.1 };
        Assert.Equal(1e-4, s.RateAt(0), 12);
        Assert.Equal(1e-3, s.RateAt(9), 12);
        Assert.Equal(0.55e-3, s.RateAt(60), 12);
        Assert.Equal(1e-4, s.RateAt(110), 12);
        Assert.Equal(1e-4, s.RateAt(1000), 12);
        for (var i = 10; i < 110; i++) Assert.True(s.RateAt(i + 1) <= s.RateAt(i));
    }

    [Fact]
    public void TimeStretchChangesLengthAndKeepsEndpoints()
    {
        var u = new Utterance([0f, 10f, 1f, 11f, 2f, 12f, 3f, 13f, 4f, 14f], 5, [1]);
        var faster = Augmentation.TimeStretch(u, 1.25);
        Assert.Equal(4, faster.Frames);
        Assert.Equal([0f, 10f], faster.Features[..2]);
        Assert.Equal([4f, 14f], faster.Features[^2..]);
        Assert.Equal(1.0f + 1 / 3f, faster.Features[2], 5);
        Assert.Equal(10, Augmentation.TimeStretch(u, 0.5).Frames);
    }

    [Fact]
    public void A_frequency_warp_of_one_changes_nothing()
    {
        var random = new Random(5);
        var u = new Utterance(Enumerable.Range(0, 3 * 80).Select(_ => (float)random.NextDouble()).ToArray(), 3, [1]);
        var same = Augmentation.FrequencyWarp(u, 1.0);
        for (var i = 0; i < u.Features.Length; i++) Assert.Equal(u.Features[i], same.Features[i], 4);
    }

    [Theory]
    [InlineData(1.1, 1)]
    [InlineData(0.9, -1)]
    public void A_frequency_warp_moves_a_formant_and_keeps_the_top_band(double factor, int direction)
    {
        // One bright band at bin 30 (~1.3 kHz) in an otherwise flat spectrum; the top bin is marked too.
        var features = new float[80];
        features[30] = 10f;
        features[79] = 5f;
        var warped = Augmentation.FrequencyWarp(new Utterance(features, 1, [1]), factor).Features;
        var peak = Array.IndexOf(warped, warped.Max());
        Assert.Equal(direction, Math.Sign(peak - 30));
        Assert.InRange(Math.Abs(peak - 30), 1, 4);   // ±10 % of 1.3 kHz is a few mel bins, not tens
        Assert.InRange(warped.Max(), 7f, 10f);       // moved, not smeared away (interpolation spreads it a little)
        Assert.InRange(warped[79], 4f, 5f);          // the top band stays near the top: nothing falls off the end
        Assert.True(features[30] == 10f);            // the input is not changed
    }

    [Fact]
    public void Augmentation_draws_a_warp_only_when_asked()
    {
        var u = new Utterance(Enumerable.Range(0, 50 * 80).Select(i => (float)Math.Sin(i * 0.37)).ToArray(), 50, [1]);
        var off = new AugmentationOptions { MinSpeed = 1, MaxSpeed = 1, FrequencyMasks = 0, TimeMasksPer100Frames = 0 };
        Assert.Equal(u.Features, Augmentation.Apply(u, off, new Random(1)).Features);
        var on = Augmentation.Apply(u, off with { MaxFrequencyWarp = 0.1 }, new Random(1)).Features;
        Assert.NotEqual(u.Features, on);
    }

    [Fact]
    public void SpecAugmentMasksBandsAndSpansWithinItsBudget()
    {
        var frames = 200;
        var u = new Utterance(Enumerable.Repeat(1f, frames * 80).ToArray(), frames, [1]);
        var options = new AugmentationOptions { MinSpeed = 1, MaxSpeed = 1, FrequencyMasks = 2, MaxFrequencyMaskWidth = 10, TimeMasksPer100Frames = 2, MaxTimeMaskWidth = 20, MaxTimeMaskedFraction = 0.2 };
        var masked = Augmentation.Apply(u, options, new Random(3));
        Assert.All(u.Features, v => Assert.Equal(1f, v)); // input untouched
        var zeroBins = Enumerable.Range(0, 80).Count(f => Enumerable.Range(0, frames).All(t => masked.Features[t * 80 + f] == 0));
        var zeroFrames = Enumerable.Range(0, frames).Count(t => Enumerable.Range(0, 80).All(f => masked.Features[t * 80 + f] == 0));
        Assert.InRange(zeroBins, 1, 20);
        Assert.InRange(zeroFrames, 1, 40);
        var again = Augmentation.Apply(u, options, new Random(3));
        Assert.Equal(masked.Features, again.Features);
    }

    [Fact]
    public void ReplayMixesAFixedShareOfGeneralUtterances()
    {
        var primary = TrainerResumeTests.RandomUtterances(40, 7);
        var general = TrainerResumeTests.RandomUtterances(100, 8);
        var mixed = new ReplayMixedUtterances(primary, general, 0.25, seed: 1);
        Assert.Equal(50, mixed.Count);
        Assert.Same(primary.Load(3), mixed.Load(3));
        Assert.Equal(Enumerable.Range(40, 10).Select(mixed.FramesOf), Enumerable.Range(40, 10).Select(i => mixed.Load(i).Frames));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => i >= 40), Enumerable.Range(0, 50).Select(mixed.IsReplay));
    }
}
