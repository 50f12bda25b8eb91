// The resolved, immutable plan of one autotrain run: every choice that decides what the run computes — the model, the
// data sets and companion sets in force, the recipe's trainer settings, how often to validate — made once from the
// options, the model and the data before training starts. The run key (where the resume state lives) is the hash of
// the serialised plan plus the data fingerprint: an option that changes the plan changes the key without a hand-kept
// list of fields. Where the run runs (device, threads) and how it was asked for (--restart, --resume-state) are not
// part of it.
using System.IO.Hashing;
using System.Text;
using System.Text.Json;

namespace DgTools.Training;

public sealed record TrainingPlan
{
    public required Guid ModelUuid { get; init; }
    /// <summary>Where checkpoints and the final model go (a full path).</summary>
    public required string OutputDirectory { get; init; }
    /// <summary>An untrained model trains from scratch; a trained one is fine-tuned.</summary>
    public required bool FromScratch { get; init; }
    public required bool TopOff { get; init; }
    public required int RevisitCount { get; init; }
    public string? DatasetLocations { get; init; }
    /// <summary>The general-domain guard set measured at every validation (null: none).</summary>
    public string? GuardDataset { get; init; }
    /// <summary>The replay set mixed into every pass (null: no replay).</summary>
    public string? ReplayDataset { get; init; }
    public double ReplayFraction { get; init; }
    public required int MaxValidationSamples { get; init; }
    public required long ValidateEvery { get; init; }
    /// <summary>Samples the run trains: passes × training utterances (replayed ones included).</summary>
    public required long TotalSamples { get; init; }
    /// <summary>The share of the language model's counts the training transcripts get (0 from scratch).</summary>
    public double DomainTextShare { get; init; }
    /// <summary>The share of the change saved models keep (1: the trained weights, no merge).</summary>
    public double MergeRatio { get; init; } = 1;
    public string? FrameTargetsFrom { get; init; }
    /// <summary>The speech-embedding network is tuned (autotrain --tune-front-end). Not written when false, so the run
    /// keys of runs without it stay as they were.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool TuneFrontEnd { get; init; }
    public required TrainerOptions Trainer { get; init; }
    /// <summary>Hash of the training (and replay) utterances' ids, texts and lengths.</summary>
    public required string DataFingerprint { get; init; }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>The plan as JSON (what the run key hashes).</summary>
    public string Serialize() => JsonSerializer.Serialize(this, Json);

    /// <summary>Identifies "the same run": its resume state lives under .train_meta/runs/&lt;key&gt;/.</summary>
    public string RunKey() => Convert.ToHexStringLower(XxHash128.Hash(Encoding.UTF8.GetBytes(Serialize())));
}
