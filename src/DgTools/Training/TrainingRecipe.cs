// The training recipe: every default of an autotrain run in one place (AutotrainOptions' defaults are these constants,
// docs/recipe.md says why each is what it is), and the trainer settings it derives for fine-tuning a trained model
// (gentle: low peak rate, short warm-up, pull towards the starting weights) versus training from scratch (higher peak,
// longer warm-up, curriculum, intermediate CTC). RecipeBench trains its "product" variants with FromScratch below.
namespace DgTools.Training;

public static class TrainingRecipe
{
    // ---- Defaults of the options (AutotrainOptions) ----
    /// <summary>Passes over the training data; topping off (--top-off) makes half as many.</summary>
    public const int RevisitCount = 20, TopOffRevisitCount = 10;
    public const long Seed = 1;
    /// <summary>Validations per run when --validate-every is not given.</summary>
    public const int ValidationsPerRun = 20;
    /// <summary>Validation during training measures at most this many utterances (an evenly spaced subset); `dgtools
    /// evaluate` measures all of them.</summary>
    public const int MaxValidationSamples = 500;
    /// <summary>Pull towards the starting weights (L2-SP), the default forgetting guard when fine-tuning.</summary>
    public const double AnchorWeight = 1e-3;
    /// <summary>Replayed general-domain utterances per customer utterance. 1: on the 131k-sample general model it kept
    /// the general domain within 10 % where 0.5 did not.</summary>
    public const double ReplayFraction = 1.0;
    /// <summary>Share of the change training made that saved models keep (weight merge with the starting model). 1 (no
    /// merge): the bundled general models keep the general domain without it, and a merge gives back part of the new
    /// words; lower it when the general domain gets worse (docs/recipe.md says what was measured).</summary>
    public const double MergeRatio = 1.0;
    /// <summary>Share of the language model's counts the training transcripts get when fine-tuning.</summary>
    public const double DomainTextShare = 0.5;

    // ---- Fine-tuning a trained model ----
    /// <summary>2.5e-4: with replay 1 it kept the general domain of the 131k-sample general model (−1 % WER on 400
    /// general sentences, against +7 % at 5e-4) and still cut the demo's WER by 84 %.</summary>
    public const double FineTuneLearningRate = 2.5e-4;
    public const int FineTuneWarmupSteps = 30;

    // ---- Training an untrained model from scratch ----
    /// <summary>2e-3: the recipe comparisons saw 5e-3 stall on the blank plateau and 2e-3 learn.</summary>
    public const double ScratchLearningRate = 2e-3;
    public const int ScratchWarmupSteps = 300;
    /// <summary>60 s batches: more updates per CPU hour early on.</summary>
    public const int ScratchMaxFramesPerBatch = 6000;
    /// <summary>Intermediate CTC on the middle layer: on spoken digits from scratch it halved held-out error at step
    /// 300 at no extra CPU cost.</summary>
    public const double ScratchIntermediateCtcWeight = 0.3;
    /// <summary>150: on the TTS corpus from scratch, frame cross-entropy for the first 150 updates took the model off
    /// the all-blank plateau at once (with --frame-targets-from; at most a quarter of the run).</summary>
    public const int ScratchFrameCrossEntropyUpdates = 150;

    // ---- Batches ----
    /// <summary>Small data sets still get ~20 updates per pass: the batch shrinks (not below 800 frames) before the
    /// step count does.</summary>
    public const int UpdatesPerPass = 20, MinFramesPerBatch = 800;

    public static TrainerOptions For(AutotrainOptions o, bool fromScratch, IUtteranceSource train)
    {
        long totalFrames = 0;
        for (var i = 0; i < train.Count; i++) totalFrames += train.FramesOf(i);
        var ceiling = fromScratch ? ScratchMaxFramesPerBatch : new BatchingOptions().MaxFramesPerBatch;
        var maxFrames = (int)Math.Clamp(totalFrames / UpdatesPerPass, MinFramesPerBatch, ceiling);
        var longest = Enumerable.Range(0, train.Count).Max(train.FramesOf);
        var batching = new BatchingOptions { MaxFramesPerBatch = Math.Max(maxFrames, longest) };
        var totalSteps = Math.Max(1, Math.Max(1, totalFrames / batching.MaxFramesPerBatch) * o.EffectiveRevisitCount);
        var options = new TrainerOptions
        {
            Seed = o.Seed,
            Schedule = new LearningRateSchedule
            {
                PeakLearningRate = o.LearningRate ?? (fromScratch ? ScratchLearningRate : FineTuneLearningRate),
                WarmupSteps = o.WarmupSteps ?? Math.Max(1, Math.Min(fromScratch ? ScratchWarmupSteps : FineTuneWarmupSteps, totalSteps / 10)),
            },
            Batching = batching,
            Augmentation = new AugmentationOptions { MaxFrequencyWarp = o.FrequencyWarp, BandLimitProbability = o.BandLimit },
            StreamRateScale = o.StreamRateScale == 1 ? null : o.StreamRateScale,
            FrontEndRateScale = o.FrontEndRateScale == 1 ? null : o.FrontEndRateScale,
        };
        if (fromScratch)
            return FromScratch(options, o.FrameTargetsFrom is null ? 0 : (int)Math.Min(ScratchFrameCrossEntropyUpdates, totalSteps / 4));
        return options with
        {
            Guard = new ForgettingGuard
            {
                AnchorDecay = Math.Max(0, o.AnchorWeight),
                FrozenLayers = o.FrozenLayers,
                // Distillation works on the replayed utterances: without replay there is nothing to distil on.
                DistillationWeight = Enumerable.Range(0, train.Count).Any(train.IsReplay) ? o.DistillationWeight : 0,
            },
        };
    }

    /// <summary>The from-scratch choices on top of <paramref name="options"/>: curriculum (shortest batches first in the
    /// first pass), intermediate CTC, no forgetting guard, and frame cross-entropy for the first
    /// <paramref name="frameCrossEntropyUpdates"/> updates (0: CTC from the start).</summary>
    public static TrainerOptions FromScratch(TrainerOptions options, int frameCrossEntropyUpdates) => options with
    {
        Batching = options.Batching with { ShortestFirstFirstEpoch = true },
        Guard = ForgettingGuard.None,
        IntermediateCtcWeight = ScratchIntermediateCtcWeight,
        FrameCrossEntropyUpdates = frameCrossEntropyUpdates,
    };
}
