namespace DgTools.Training;

/// <summary>Everything one `dgtools autotrain` run was asked to do. Built by the CLI, passed down unchanged.</summary>
public sealed record AutotrainOptions
{
    public required string ModelPath { get; init; }
    /// <summary>Where outputs go (the current directory).</summary>
    public required string OutputDirectory { get; init; }
    public bool TopOff { get; init; }
    /// <summary>Stop before any work when the data sets are not in the model's language (Preparation/LanguageCheck).</summary>
    public bool LanguageCheck { get; init; } = true;
    /// <summary>Fine-tuning: leave out short recordings whose transcripts do not fit their audio under the starting model
    /// (Preparation/TranscriptScreen); false trains on every pair.</summary>
    public bool ScreenTranscripts { get; init; } = true;
    /// <summary>Null: the default (20, or 10 with --top-off).</summary>
    public int? RevisitCount { get; init; }
    public string? DatasetLocations { get; init; }
    /// <summary>A general-domain data set measured alongside validation (the forgetting guard); null: look beside the model.</summary>
    public string? GuardDataset { get; init; }
    public bool Restart { get; init; }
    public long Seed { get; init; } = TrainingRecipe.Seed;
    public string Device { get; init; } = "auto";
    public int Threads { get; init; }
    /// <summary>Peak learning rate; null: the recipe's default (lower when fine-tuning a trained model).</summary>
    public double? LearningRate { get; init; }
    /// <summary>Optimizer updates over which the learning rate rises to its peak; null: the recipe's (30 fine-tuning, 300
    /// from scratch, at most a tenth of the run).</summary>
    public int? WarmupSteps { get; init; }
    /// <summary>Validate every this many samples; null: about 20 times per run.</summary>
    public long? ValidateEvery { get; init; }
    /// <summary>Validation during training uses at most this many utterances (an evenly spaced subset); `dgtools
    /// evaluate` measures all of them.</summary>
    public int MaxValidationSamples { get; init; } = TrainingRecipe.MaxValidationSamples;
    /// <summary>Strength of the pull towards the starting weights (L2-SP), the default forgetting guard; 0 turns it off.</summary>
    public double AnchorWeight { get; init; } = TrainingRecipe.AnchorWeight;
    /// <summary>Fine-tuning only: freeze the front end and this many of the lowest Conformer layers (0: train all).</summary>
    public int FrozenLayers { get; init; }
    /// <summary>Fine-tuning only: general-domain utterances mixed into every pass (replay, a forgetting guard); null:
    /// "&lt;model&gt;.replay/" beside the model when it exists.</summary>
    public string? ReplayDataset { get; init; }
    /// <summary>Replayed utterances per customer training utterance (capped by the replay set's size); 0 turns replay off.
    /// 1: on the 131k-sample general model it kept the general domain within 10 % where 0.5 did not (docs/recipe.md).</summary>
    public double ReplayFraction { get; init; } = TrainingRecipe.ReplayFraction;
    /// <summary>Fine-tuning with replay only: weight of the distillation guard (the starting model's output
    /// distribution on the replayed utterances, <see cref="ForgettingGuard.DistillationWeight"/>); 0 turns it off.</summary>
    public double DistillationWeight { get; init; }
    /// <summary>Fine-tuning only: the saved models keep this share of the change training made to the weights
    /// (weight-space ensembling with the starting model, <see cref="WeightMerge"/>); 1, the default, saves the trained
    /// weights (<see cref="TrainingRecipe.MergeRatio"/>; docs/recipe.md).</summary>
    public double MergeRatio { get; init; } = TrainingRecipe.MergeRatio;
    /// <summary>A directory with a saved run state (run.json, trainer.dgstate) of the same recipe run elsewhere, used
    /// when this run has none of its own (how a general model's training continues across machines).</summary>
    public string? ResumeState { get; init; }
    /// <summary>Fine-tuning only: the share of the language model's counts the training transcripts get (count
    /// merging, <see cref="Language.Lexicon.MergeWeight"/>); 0 adds them as plain counts.</summary>
    public double DomainTextShare { get; init; } = TrainingRecipe.DomainTextShare;
    /// <summary>Vocal-tract-length perturbation of the training features: frequency axes scaled by up to ± this share
    /// (<see cref="AugmentationOptions.MaxFrequencyWarp"/>); 0 turns it off.</summary>
    public double FrequencyWarp { get; init; }
    /// <summary>Share of training utterances band-limited to a random 3.4–5.5 kHz
    /// (<see cref="AugmentationOptions.BandLimitProbability"/>); 0 turns it off.</summary>
    public double BandLimit { get; init; }
    /// <summary>Factor on the learning rate of the speech-embedding stream's fusion layers
    /// (<see cref="TrainerOptions.StreamRateScale"/>).</summary>
    public double StreamRateScale { get; init; } = 1;
    /// <summary>Tune the speech-embedding stream's own network with the rest of the model
    /// (<see cref="Model.NewModel.TuneSpeechEmbedding"/>): the model saved runs it from melspectrogram features. False
    /// keeps it frozen, as the model has it (a model that already tunes it keeps doing so).</summary>
    public bool TuneFrontEnd { get; init; }
    /// <summary>Factor on the learning rate of the tuned speech-embedding network
    /// (<see cref="TrainerOptions.FrontEndRateScale"/>).</summary>
    public double FrontEndRateScale { get; init; } = 1;
    /// <summary>From scratch only: a trained model whose best CTC paths over the training transcripts are the frame
    /// targets of a frame cross-entropy phase before CTC (<see cref="FrameTargetedUtterances"/>); null: CTC from the start.</summary>
    public string? FrameTargetsFrom { get; init; }

    public int EffectiveRevisitCount => RevisitCount ?? (TopOff ? TrainingRecipe.TopOffRevisitCount : TrainingRecipe.RevisitCount);

    public const int MaxRevisitCount = 1000;

    /// <summary>Refuses values that make no sense (OptionError, named by their command-line flag): the library checks
    /// them, so every caller, not only the CLI, gets the same checks.</summary>
    public void Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok) throw new OptionError(message);
        }
        // A NaN passes no comparison, so each test below is written to fail for it (a NaN rate wrote an all-NaN model).
        Require(RevisitCount is null or >= 1, "--revisit-count must be at least 1");
        // 1,000 passes is far past where a model stops learning; a typo of 1e9 started a run of 195,322 hours.
        Require(RevisitCount is null or <= MaxRevisitCount, $"--revisit-count must be at most {MaxRevisitCount}");
        Require(Threads >= 0, "--threads must be 0 or more");
        Require(LearningRate is null or (> 0 and <= 1), "--learning-rate must be a number above 0 and at most 1");
        Require(AnchorWeight is >= 0 and < double.PositiveInfinity, "--anchor-weight must be a number, 0 or more");
        Require(ValidateEvery is null or >= 1, "--validate-every must be at least 1");
        Require(WarmupSteps is null or >= 1, "--warmup-steps must be at least 1");
        Require(ReplayFraction is >= 0 and < double.PositiveInfinity, "--replay-fraction must be 0 or more");
        Require(DistillationWeight is >= 0 and < double.PositiveInfinity, "--distill-weight must be 0 or more");
        Require(MergeRatio is >= 0 and <= 1, "--merge-ratio must be between 0 and 1");
        Require(DomainTextShare is >= 0 and < 1, "--domain-text-share must be at least 0 and below 1");
        Require(FrequencyWarp is >= 0 and < 0.5, "--frequency-warp must be at least 0 and below 0.5");
        Require(BandLimit is >= 0 and <= 1, "--band-limit must be between 0 and 1");
        Require(StreamRateScale is > 0 and <= 1000, "--stream-rate-scale must be above 0 and at most 1000");
        Require(FrontEndRateScale is > 0 and <= 1000, "--front-end-rate-scale must be above 0 and at most 1000");
        Require(FrozenLayers >= 0, "--freeze-layers must be 0 or more");
        Require(MaxValidationSamples >= 1, "--max-validation-samples must be at least 1");
    }
}
