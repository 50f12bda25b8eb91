// Pieces of an autotrain run: validation (word accuracy on the validation split and the general-domain guard set),
// the training recipe (fine-tuning versus from scratch), and the run state that makes a run resumable.
using System.Text.Json;
using DgTools.Evaluation;
using DgTools.Model;
using DgTools.Reporting;
using DgTools.Text;

namespace DgTools.Training;

public sealed record Measurement(double Accuracy, double? General);

/// <summary>Greedy-decodes the validation split (and the guard set) and scores word accuracy = max(0, 1 − WER).
/// Large sets are measured on a fixed, evenly spaced subset so that validating stays a small part of the run.</summary>
public sealed class Validator(ConformerCtc model, ModelMetadata metadata, CachedUtterances validate, CachedUtterances? guard, int maxSamples)
{
    private readonly Alphabet _alphabet = Alphabet.For(metadata.Language);
    private readonly CachedUtterances _validate = validate.Subset(maxSamples);
    private readonly CachedUtterances? _guard = guard?.Subset(maxSamples / 2);

    public int ValidationSamples => _validate.Count;

    public Measurement Measure() => new(Accuracy(_validate), _guard is null ? null : Accuracy(_guard));

    public IReadOnlyList<string> Transcribe(CachedUtterances source) =>
        BatchedBestPath.Decode(model, source, model.Config.InferenceFramesPerBatch()).Select(ids => _alphabet.Decode(ids)).ToList();

    private double Accuracy(CachedUtterances source)
    {
        if (source.Count == 0) return 0;
        var hypotheses = Transcribe(source);
        return WordErrorRate.ScoreWords(source.Examples.Select((e, i) => (e.Text, hypotheses[i]))).Accuracy;
    }
}

/// <summary>Trainer settings for a run: fine-tuning a trained model gently (lower peak rate, short warm-up, pull
/// towards the starting weights), or training an untrained model from scratch (higher peak, longer warm-up).</summary>
public static class TrainingRecipe
{
    // 2.5e-4: with replay 1 it kept the general domain of the 131k-sample general model (−1 % WER on 400 general
    // sentences, against +7 % at 5e-4) and still cut the demo's WER by 84 % (docs/models.md, the forgetting guard).
    public const double FineTuneLearningRate = 2.5e-4;
    // 2e-3: the recipe comparisons saw 5e-3 stall on the blank plateau and 2e-3 learn (docs/models.md).
    public const double ScratchLearningRate = 2e-3;
    // 150: on the TTS corpus from scratch, frame cross-entropy for the first 150 updates took the model off the
    // all-blank plateau at once (docs/models.md, recipe comparisons).
    public const int ScratchFrameCrossEntropyUpdates = 150;

    public static TrainerOptions For(AutotrainOptions o, bool fromScratch, IUtteranceSource train)
    {
        var peak = o.LearningRate ?? (fromScratch ? ScratchLearningRate : FineTuneLearningRate);
        // Small data sets still get ~20 updates per pass: the batch shrinks (not below 800 frames) before the step count does.
        long totalFrames = 0;
        for (var i = 0; i < train.Count; i++) totalFrames += train.FramesOf(i);
        // From scratch: 60 s batches (more updates per CPU hour early on); fine-tuning: the trainer's default.
        var ceiling = fromScratch ? 6000 : new BatchingOptions().MaxFramesPerBatch;
        var maxFrames = (int)Math.Clamp(totalFrames / 20, 800, ceiling);
        var longest = Enumerable.Range(0, train.Count).Max(train.FramesOf);
        var batching = new BatchingOptions { MaxFramesPerBatch = Math.Max(maxFrames, longest), ShortestFirstFirstEpoch = fromScratch };
        var stepsPerEpoch = Math.Max(1, totalFrames / batching.MaxFramesPerBatch);
        var totalSteps = Math.Max(1, stepsPerEpoch * o.EffectiveRevisitCount);
        return new TrainerOptions
        {
            Seed = o.Seed,
            Schedule = new LearningRateSchedule
            {
                PeakLearningRate = peak,
                WarmupSteps = Math.Max(1, Math.Min(fromScratch ? 300 : 30, totalSteps / 10)),
            },
            Batching = batching,
            Augmentation = new AugmentationOptions { MaxFrequencyWarp = o.FrequencyWarp, BandLimitProbability = o.BandLimit },
            StreamRateScale = o.StreamRateScale,
            Guard = fromScratch ? ForgettingGuard.None : new ForgettingGuard
            {
                AnchorDecay = Math.Max(0, o.AnchorWeight),
                FrozenLayers = o.FrozenLayers,
                // Distillation works on the replayed utterances: without replay there is nothing to distil on.
                DistillationWeight = Enumerable.Range(0, train.Count).Any(train.IsReplay) ? o.DistillationWeight : 0,
            },
            // Intermediate CTC on the middle layer: on spoken digits from scratch it halved held-out error at step 300
            // at no extra CPU cost (docs/models.md, recipe comparisons).
            IntermediateCtcWeight = fromScratch ? 0.3 : 0,
            // With frame targets (--frame-targets-from): cross-entropy first, at most a quarter of the run.
            FrameCrossEntropyUpdates = fromScratch && o.FrameTargetsFrom is not null
                ? (int)Math.Min(ScratchFrameCrossEntropyUpdates, totalSteps / 4) : 0,
        };
    }
}

/// <summary>What autotrain keeps besides the trainer state: progress facts that must survive a crash.</summary>
public sealed record RunState(
    string DataFingerprint,
    IReadOnlyList<CheckpointEntry> Checkpoints,
    IReadOnlyList<HistoryPoint> History,
    double InitialAccuracy,
    double? InitialGeneral)
{
    public const int Version = 1;
    private const string StateFile = "run.json", TrainerFile = "trainer.dgstate";

    private sealed record Stored(int Version, RunState Run);

    public void Save(string runDir, Trainer trainer, ModelMetadata metadata)
    {
        Directory.CreateDirectory(runDir);
        // Trainer first, then the run facts: a crash between the two leaves facts one save behind, which TryResume
        // detects by the sample counts disagreeing and then trusts the trainer file (checkpoint names are rewritten).
        TrainerStateFile.Write(Path.Combine(runDir, TrainerFile), trainer.CaptureState(), metadata);
        AtomicFile.WriteAllText(Path.Combine(runDir, StateFile), JsonSerializer.Serialize(new Stored(Version, this), ModelMetadata.Json));
    }

    /// <summary>
    /// Takes over the saved state of the same recipe run elsewhere (another machine, a state carried in git) when this
    /// run has none of its own: copies it into <paramref name="runDir"/>, where TryResume checks it like its own
    /// (same seed, same training data, else starting over with a warning).
    /// </summary>
    public static void Adopt(string carriedDir, string runDir, IRunReporter reporter)
    {
        if (HasState(runDir)) return;
        if (!HasState(carriedDir)) throw new DatasetError($"no saved run state ({StateFile} and {TrainerFile}) in the --resume-state directory", carriedDir);
        Directory.CreateDirectory(runDir);
        // run.json last: together with the trainer state it marks a complete state.
        AtomicFile.Copy(Path.Combine(carriedDir, TrainerFile), Path.Combine(runDir, TrainerFile));
        AtomicFile.Copy(Path.Combine(carriedDir, StateFile), Path.Combine(runDir, StateFile));
        reporter.Info($"Took over the saved run state in {carriedDir}.");
    }

    private static bool HasState(string dir) => File.Exists(Path.Combine(dir, StateFile)) && File.Exists(Path.Combine(dir, TrainerFile));

    /// <summary>The saved state of "the same command", restored into <paramref name="trainer"/>; null when there is none
    /// (or --restart, or the data changed).</summary>
    public static RunState? TryResume(string runDir, AutotrainOptions o, string fingerprint, Trainer trainer, IRunReporter reporter)
    {
        var statePath = Path.Combine(runDir, StateFile);
        var trainerPath = Path.Combine(runDir, TrainerFile);
        if (o.Restart || !HasState(runDir)) return null;
        Stored? stored;
        try { stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(statePath), ModelMetadata.Json); }
        catch (JsonException) { stored = null; }
        if (stored is null || stored.Version > Version)
        {
            reporter.Warning($"the saved state of an interrupted run is unreadable; starting over ({statePath})");
            return null;
        }
        if (stored.Run.DataFingerprint != fingerprint)
        {
            reporter.Warning("the training data changed since the interrupted run; starting over");
            return null;
        }
        try
        {
            var (state, _) = TrainerStateFile.Read(trainerPath);
            trainer.RestoreState(state);
        }
        catch (ModelFileError e)
        {
            reporter.Warning($"the saved trainer state is unusable ({e.Message}); starting over");
            return null;
        }
        return stored.Run;
    }
}

/// <summary>Finds the general-domain replay set for fine-tuning: --replay-dataset, else the model's own (see
/// <see cref="ForgettingGuards"/>). Its utterances are mixed into training (never into validation) to keep the general domain.</summary>
public static class ReplaySet
{
    public static CompanionSet? Locate(AutotrainOptions o, ModelMetadata metadata, ForgettingGuards guards)
    {
        if (o.ReplayFraction <= 0) return null;
        if (o.ReplayDataset is not null)
            return Directory.Exists(o.ReplayDataset)
                ? new CompanionSet(o.ReplayDataset, "given with --replay-dataset")
                : throw new DatasetError("replay data set directory not found", o.ReplayDataset);
        return guards.Find(o.ModelPath, metadata, ".replay");
    }
}

/// <summary>Finds the general-domain guard set: --guard-dataset, else the model's own (see <see cref="ForgettingGuards"/>),
/// else "&lt;resource dir&gt;/&lt;lang&gt;/guard/".</summary>
public static class GuardSet
{
    public static CachedUtterances? Load(AutotrainOptions o, DgModel model, Data.ResourceDirectory resources,
        ForgettingGuards guards, IRunReporter reporter)
    {
        var metadata = model.Metadata;
        var candidates = new List<CompanionSet>();
        if (o.GuardDataset is not null) candidates.Add(new CompanionSet(o.GuardDataset, "given with --guard-dataset"));
        if (guards.Find(o.ModelPath, metadata, ".guard") is { } own) candidates.Add(own);
        candidates.Add(new CompanionSet(Path.Combine(resources.Root, metadata.Language, "guard"), "the resource directory's"));
        foreach (var (dir, origin) in candidates)
        {
            if (!Directory.Exists(dir))
            {
                if (dir == o.GuardDataset) throw new DatasetError("guard data set directory not found", dir);
                continue;
            }
            var set = TrainingDataLoader.LoadDirectory(dir, resources, metadata.Language, model, reporter);
            if (set is { Count: > 0 })
            {
                reporter.Info($"General-domain guard set: {dir} ({set.Count} samples; {origin}).");
                return set;
            }
        }
        reporter.Info("No general-domain guard set found (see docs/usage.md); forgetting of the general domain is not measured.");
        return null;
    }
}
