namespace DgTools.Training;

/// <summary>Everything the training core needs besides the model and the data. Immutable.</summary>
public sealed record TrainerOptions
{
    public long Seed { get; init; } = 1;
    public BatchingOptions Batching { get; init; } = new();
    public AugmentationOptions Augmentation { get; init; } = new();
    public LearningRateSchedule Schedule { get; init; } = new();
    public double WeightDecay { get; init; } = 1e-3;
    /// <summary>Factor on the learning rate of the speech-embedding stream's fusion layers (speech_embedding_*): a
    /// zero-initialised projection added to a trained model needs larger steps than the trained weights to matter
    /// within a short fine-tune (null: the same rate). Left out of the plan's JSON when null, so the run keys of runs
    /// without it stay as they were.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? StreamRateScale { get; init; }
    /// <summary>Factor on the learning rate of a tuned speech-embedding network (speech_embedding.conv*; a model with
    /// ModelConfig.SpeechEmbeddingTrainable): pretrained on far more speech than a run sees, it may want smaller steps
    /// than the rest (null: the same rate). Left out of the plan's JSON when null.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? FrontEndRateScale { get; init; }
    /// <summary>Clip the global gradient norm to this (≤ 0: no clipping).</summary>
    public double GradientClipNorm { get; init; } = 5.0;
    public ForgettingGuard Guard { get; init; } = ForgettingGuard.None;
    /// <summary>Weight of an extra CTC loss on the middle layer's output (shared head; 0: off). InterCTC.</summary>
    public double IntermediateCtcWeight { get; init; }
    /// <summary>
    /// For the first this many optimizer updates the loss is frame-level cross-entropy against each utterance's
    /// <see cref="Utterance.FrameTargets"/> instead of CTC (the intermediate output, when on, gets it with the same
    /// weight); from-scratch pretraining past the all-blank plateau. 0: off. See <see cref="FrameCrossEntropy"/>.
    /// </summary>
    public int FrameCrossEntropyUpdates { get; init; }
}

/// <summary>
/// Ways to keep a fine-tuned model from forgetting its general training: decay towards the starting weights
/// instead of zero (decoupled L2-SP, strength = <see cref="AnchorDecay"/> × learning rate per step), and freezing the
/// front end plus the lowest layers, and distillation: on replayed general-domain utterances the model's output
/// distribution is held close to the starting model's (learning without forgetting). Replay of general data itself is
/// a data choice: <see cref="ReplayMixedUtterances"/>.
/// </summary>
public sealed record ForgettingGuard
{
    /// <summary>Per-step pull towards the starting weights (used instead of weight decay towards zero); 0: off.</summary>
    public double AnchorDecay { get; init; }

    /// <summary>Freeze the subsampling front end and this many of the lowest Conformer layers (0: train all).</summary>
    public int FrozenLayers { get; init; }

    /// <summary>
    /// Weight of the mean per-frame KL divergence from the starting model's output distribution to the model's, on the
    /// replayed utterances of each batch (0: off). Needs the starting model as the trainer's teacher.
    /// </summary>
    public double DistillationWeight { get; init; }

    public static ForgettingGuard None { get; } = new();

    /// <summary>The default for fine-tuning a general model (why: docs/recipe.md).</summary>
    public static ForgettingGuard FineTuning { get; } = new() { AnchorDecay = 0.05 };
}
