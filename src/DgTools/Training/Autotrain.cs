// `dgtools autotrain`: train a model on the customer's data sets and leave behind the files the guide promises
// (<stem>.best.<remaining>.<accuracy>.dg, <stem>.checkpoint.…, <stem>.last.dg), with a countdown of samples, a
// forgetting guard, and resume after a crash. The trainer does the steps; this class owns the run around them.
using System.Diagnostics;
using DgTools.Alignment;
using DgTools.Data;
using DgTools.Language;
using DgTools.Model;
using DgTools.Reporting;
using DgTools.Runtime;
using TorchSharp;

namespace DgTools.Training;

public sealed record AutotrainResult(
    string LastModelPath, long SamplesTrained, double? InitialAccuracy, double? FinalAccuracy,
    double? InitialGeneralAccuracy, double? FinalGeneralAccuracy, IReadOnlyList<string> AddedWords, bool Resumed);

public sealed class Autotrain
{
    /// <summary>How often the resume state is written, at the latest.</summary>
    public static readonly TimeSpan StateInterval = TimeSpan.FromMinutes(3);

    private readonly AutotrainOptions _options;
    private readonly ResourceDirectory _resources;
    private readonly IRunReporter _reporter;

    public Autotrain(AutotrainOptions options, ResourceDirectory resources, IRunReporter reporter)
    {
        _options = options;
        _resources = resources;
        _reporter = reporter;
    }

    public AutotrainResult Run(CancellationToken cancel = default)
    {
        var o = _options;
        var input = ModelFile.Read(o.ModelPath, ModelArchitecture.ExpectedShapes);
        if (!input.Metadata.Trainable) throw new ModelFileError("model is not trainable", o.ModelPath);
        if (ModelFile.UncheckedNote(input, o.ModelPath) is { } note) _reporter.Info(note);
        ComputeDevice.SetThreads(o.Threads);
        var device = ComputeDevice.Resolve(o.Device);
        if (device.type != DeviceType.CPU) _reporter.Info($"Training on {device}.");
        CheckStorage(o);

        using var runLock = TrainingLock.Acquire(Path.Combine(_resources.TrainMetaDir, "autotrain.lock"),
            $"dgtools autotrain {Path.GetFileName(o.ModelPath)}", _reporter.Warning);

        // A run killed mid-write (SIGKILL, power loss) leaves its temp files; the files they were replacing are intact.
        var stale = AtomicFile.RemoveStaleTemporaries(o.OutputDirectory)
                    + AtomicFile.RemoveStaleTemporaries(_resources.TrainMetaDir, recursive: true)
                    + AtomicFile.RemoveStaleTemporaries(_resources.FeaturesCacheDir, recursive: true);
        if (stale > 0) _reporter.Info($"Removed {stale} temporary files left by an interrupted run.");

        var language = input.Metadata.Language;
        var untrained = input.Metadata.Provenance.SamplesTrained == 0;
        // Long recordings are aligned with the model as it is now (the input), and the alignments kept for later runs.
        var aligner = new AlignmentModel(() => new ModelPosteriorSource(input, o.ModelPath, device), Untrained: untrained);
        TrainingData data;
        CachedUtterances? guard;
        var guards = ForgettingGuards.For(_resources);
        try
        {
            data = TrainingDataLoader.Load(_resources, language, o.DatasetLocations, input, _reporter, aligner, cancel);
            cancel.ThrowIfCancellationRequested();
            guard = GuardSet.Load(o, input, _resources, guards, _reporter);
            cancel.ThrowIfCancellationRequested();
        }
        catch (OperationCanceledException)
        {
            throw new InterruptedError("interrupted before training began: there is nothing to resume, and the features " +
                                       "extracted so far stay cached; run the same command again to start", resumable: false);
        }
        _reporter.Info($"Training samples: {data.Train.Count:N0}; validation samples: {data.Validate.Count:N0}" +
                       (guard is null ? "" : $"; general-domain guard samples: {guard.Count:N0}") + ".");
        // Replay (fine-tuning only): general-domain utterances mixed into every pass keep what the model knew.
        IUtteranceSource train = data.Train;
        CachedUtterances? replay = null;   // the replay set, when it is mixed in
        if (!untrained && ReplaySet.Locate(o, input.Metadata, guards) is { } replaySet)
        {
            var replayDir = replaySet.Directory;
            o = o with { ReplayDataset = replayDir };
            if (TrainingDataLoader.LoadDirectory(replayDir, _resources, language, input, _reporter, "replay") is { Count: > 0 } set)
            {
                replay = set;
                train = new ReplayMixedUtterances(data.Train, set, o.ReplayFraction, o.Seed);
                _reporter.Info($"Replay: {train.Count - data.Train.Count:N0} general-domain samples from {replayDir} join every pass ({replaySet.Origin}).");
            }
        }
        else if (!untrained && o.ReplayFraction > 0)
            _reporter.Info("No general-domain replay set found for this model (see docs/usage.md); fine-tuning without replay.");

        // From scratch with frame cross-entropy pretraining: the transcripts' best CTC paths under a trained model.
        if (o.FrameTargetsFrom is { } targetsFrom)
        {
            if (!untrained)
                throw new ModelFileError($"--frame-targets-from is for training an untrained model from scratch (dgtools init); this one has trained {input.Metadata.Provenance.SamplesTrained:N0} samples", o.ModelPath);
            var aligning = Stopwatch.StartNew();
            var targeted = FrameTargetedUtterances.Align(targetsFrom, input.Metadata, train);
            train = targeted;
            _reporter.Info($"Frame targets: {targeted.Count:N0} training samples aligned with {Path.GetFileName(targetsFrom)} in {aligning.Elapsed.TotalSeconds:F0} s" +
                           (targeted.Dropped > 0 ? $" ({targeted.Dropped:N0} too short for their transcripts left out)" : "") + ".");
        }

        // Vocabulary: unless topping off, the training transcripts' new words and n-grams join the model's lexicon.
        var basis = input;
        IReadOnlyList<string> added = [];
        if (!o.TopOff)
        {
            var share = untrained ? 0 : o.DomainTextShare;   // a general model's own text is not a domain to favour
            var update = ModelLexicon.AddTranscripts(input, data.Train.Examples.Select(e => e.Text), share, path: o.ModelPath);
            basis = update.Model;
            added = update.AddedWords;
            _reporter.Info(update.Message);
            if (update.Weight > 1)
                _reporter.Info($"Language model: the training transcripts count {update.Weight:N0} times, {share:P0} of all counts (--domain-text-share).");
            // An untrained model's first vocabulary is its base vocabulary (a general model's training text), not
            // words "added" to a general model, so it is not recorded as added_words.
            if (untrained) basis = basis with { Metadata = basis.Metadata with { AddedWords = input.Metadata.AddedWords } };
        }

        var stem = CheckpointPolicy.StemFor(o.ModelPath);
        var runDir = Path.Combine(_resources.TrainMetaDir, "runs", RunKey.For(o, input.Metadata.Uuid));
        var fingerprint = DataFingerprint(data, replay);
        using var model = ConformerCtc.FromFile(input, o.ModelPath);
        var trainerOptions = TrainingRecipe.For(o, fromScratch: untrained, train);
        var batchesPerEpoch = LengthBucketedBatches.PlanEpoch(train, trainerOptions.Batching, o.Seed, 0).Count;
        trainerOptions = trainerOptions with
        {
            Schedule = trainerOptions.Schedule with { TotalSteps = Math.Max(1, (long)o.EffectiveRevisitCount * batchesPerEpoch) },
        };
        if (trainerOptions.FrameCrossEntropyUpdates > 0)
            _reporter.Info($"Frame cross-entropy for the first {trainerOptions.FrameCrossEntropyUpdates:N0} updates, then CTC.");
        var total = (long)o.EffectiveRevisitCount * train.Count;
        var timed = new TimedUtterances(train);
        // The starting network, a frozen second copy: the distillation guard's teacher and the weight merge's other end.
        var distill = trainerOptions.Guard.DistillationWeight > 0;
        var merging = !untrained && o.MergeRatio < 1;
        using var start = distill || merging ? ConformerCtc.FromFile(input, o.ModelPath) : null;
        if (distill) _reporter.Info($"Distillation: the starting model's outputs on the replayed samples are kept (weight {trainerOptions.Guard.DistillationWeight:0.###}).");
        using var merge = merging ? new WeightMerge(model, start!, o.MergeRatio) : null;
        if (merging) _reporter.Info($"Weight merge: saved models keep {o.MergeRatio:P0} of the change to the starting weights (--merge-ratio).");
        using var run = new Trainer(model, timed, trainerOptions, distill ? start : null);
        var time = new RunTimes();

        if (o.ResumeState is { } carried && !o.Restart) RunState.Adopt(carried, runDir, _reporter);
        var state = RunState.TryResume(runDir, o, fingerprint, run, _reporter);
        var resumed = state is not null;
        var validateEvery = o.ValidateEvery ?? Math.Max(1, total / 20);
        var evaluator = new Validator(model, input.Metadata, data.Validate, guard, o.MaxValidationSamples);
        if (evaluator.ValidationSamples < data.Validate.Count)
            _reporter.Info($"Validation during training uses {evaluator.ValidationSamples:N0} of the {data.Validate.Count:N0} validation samples.");
        if (state is null)
        {
            if (Directory.Exists(runDir)) Directory.Delete(runDir, recursive: true);
            var initial = evaluator.Measure();
            state = new RunState(fingerprint, [], [new HistoryPoint(0, null, initial.Accuracy, initial.General)],
                initial.Accuracy, initial.General);
            _reporter.Info($"Validation accuracy before training: {Percent(initial.Accuracy)}" +
                           (initial.General is null ? "." : $"; general domain: {Percent(initial.General)}."));
        }
        else
        {
            _reporter.Info($"Resuming the interrupted run at {run.Progress.SamplesSeen:N0} of {total:N0} samples " +
                           $"({total - run.Progress.SamplesSeen:N0} remaining). Use --restart to start over.");
        }

        var policy = new CheckpointPolicy(stem, state.Checkpoints);
        var clock = Stopwatch.StartNew();
        var sinceState = Stopwatch.StartNew();
        var startSamples = run.Progress.SamplesSeen;
        double lossSum = 0;
        var lossCount = 0;
        var nextValidation = (run.Progress.SamplesSeen / validateEvery + 1) * validateEvery;
        var history = state.History.ToList();
        while (run.Progress.SamplesSeen < total)
        {
            if (cancel.IsCancellationRequested)
            {
                // Between steps nothing is half-written: save where the run stands, then stop.
                state = state with { Checkpoints = policy.Entries.ToList(), History = history.ToList() };
                state.Save(runDir, run, input.Metadata);
                throw new InterruptedError($"interrupted at {run.Progress.SamplesSeen:N0} of {total:N0} samples; the run is saved " +
                                           "and the same command resumes it", resumable: true);
            }
            var stepStart = time.Clock.Elapsed;
            var step = run.TrainStep();
            time.Steps += time.Clock.Elapsed - stepStart;
            if (!step.Skipped) { lossSum += step.Loss; lossCount++; }
            var seen = run.Progress.SamplesSeen;
            var rate = (seen - startSamples) / Math.Max(1e-9, clock.Elapsed.TotalSeconds);
            var remaining = Math.Max(0, total - seen);
            _reporter.Progress(new ProgressSnapshot("training", Math.Min(seen, total), total, "samples", new Dictionary<string, string>
            {
                ["loss"] = step.Loss.ToString("F3"),
                ["samples/s"] = rate.ToString("F1"),
                ["ETA"] = Eta(remaining / Math.Max(1e-9, rate)),
            }));

            if (seen >= nextValidation || seen >= total)
            {
                nextValidation += validateEvery;
                var validationStart = time.Clock.Elapsed;
                TimeSpan saveStart;
                // What is validated is what is saved: the merged weights when merging.
                using (merge?.Apply())
                {
                    var m = evaluator.Measure();
                    time.Validation += time.Clock.Elapsed - validationStart;
                    saveStart = time.Clock.Elapsed;
                    double? meanLoss = lossCount > 0 ? lossSum / lossCount : null;
                    lossSum = 0; lossCount = 0;
                    history.Add(new HistoryPoint(seen, meanLoss, m.Accuracy, m.General));
                    _reporter.Info($"{remaining:N0} samples remaining: loss {meanLoss:F3}, validation accuracy {Percent(m.Accuracy)}" +
                                   (m.General is null ? "" : $", general domain {Percent(m.General)}"));
                    if (remaining > 0)
                    {
                        var decision = policy.Record(remaining, m.Accuracy);
                        WriteModel(Path.Combine(o.OutputDirectory, decision.Write!), basis, model, data, seen, m, history, o);
                        foreach (var old in decision.Delete) TryDelete(Path.Combine(o.OutputDirectory, old));
                    }
                }
                state = state with { Checkpoints = policy.Entries.ToList(), History = history.ToList() };
                // After the last validation the final model is written at once and the run directory deleted.
                if (remaining > 0) state.Save(runDir, run, input.Metadata);
                time.Saving += time.Clock.Elapsed - saveStart;
                sinceState.Restart();
            }
            else if (sinceState.Elapsed > StateInterval)
            {
                state = state with { Checkpoints = policy.Entries.ToList(), History = history.ToList() };
                state.Save(runDir, run, input.Metadata);
                sinceState.Restart();
            }
        }

        _reporter.Info(time.Describe(timed.LoadTime));
        var final = history[^1];
        var lastPath = Path.Combine(o.OutputDirectory, policy.LastFileName);
        using (merge?.Apply())
            WriteModel(lastPath, basis, model, data, run.Progress.SamplesSeen,
                new Measurement(final.ValidationAccuracy ?? 0, final.GeneralAccuracy), history, o);
        // A run whose only validation was its last never saved a state, so there may be no run directory.
        if (Directory.Exists(runDir)) Directory.Delete(runDir, recursive: true);
        return new AutotrainResult(lastPath, run.Progress.SamplesSeen, state.InitialAccuracy, final.ValidationAccuracy,
            state.InitialGeneral, final.GeneralAccuracy, added, resumed);
    }

    /// <summary>Before any work: the directories the run writes to are writable and have room for what it writes there
    /// (a full resource disk later, while features are extracted or the state is saved, stops the run with DiskFullError).</summary>
    private void CheckStorage(AutotrainOptions o)
    {
        StorageCheck.RequireWritable(o.OutputDirectory, "the output directory",
            "autotrain writes its checkpoints and final model there (run it from a writable directory)");
        StorageCheck.RequireWritable(_resources.TrainMetaDir, "the resource directory",
            "autotrain keeps its lock, data splits and resume state in .train_meta/ there");
        StorageCheck.RequireWritable(_resources.FeaturesCacheDir, "the resource directory",
            "autotrain caches audio features in .features_cache/ there");
        var modelBytes = new FileInfo(o.ModelPath).Length;
        StorageCheck.RequireFree(o.OutputDirectory, 2 * modelBytes, "the output directory", "writing one model beside its temporary copy");
        // The resume state holds the weights, two optimizer moments and the anchor: about four models, written beside the old one.
        StorageCheck.RequireFree(_resources.TrainMetaDir, 8 * modelBytes, "the resource directory", "writing the resume state beside its previous copy");
    }

    /// <param name="basis">The input model with this run's vocabulary update applied.</param>
    private static void WriteModel(string path, DgModel basis, ConformerCtc model, TrainingData data, long samples,
        Measurement m, IReadOnlyList<HistoryPoint> history, AutotrainOptions o)
    {
        var tags = basis.Metadata.Tags.ToList();
        if (o.TopOff && !tags.Contains("topped-off")) tags.Add("topped-off");
        var meta = basis.Metadata with
        {
            Uuid = Guid.NewGuid(),
            Version = DateTime.UtcNow.ToString("yyyy-MM-dd"),
            Tags = tags,
            Deployable = false,
            Provenance = new Provenance
            {
                ParentUuid = basis.Metadata.Uuid,
                Datasets = data.Datasets,
                SamplesTrained = basis.Metadata.Provenance.SamplesTrained + samples,
                ValidationAccuracy = m.Accuracy,
                GeneralAccuracy = m.General,
                Tool = $"dgtools {ProductInfo.Version} autotrain",
            },
            History = history.ToList(),
        };
        ModelFile.Write(path, basis with { Metadata = meta, Tensors = model.ExportTensors() });
    }

    private static string DataFingerprint(TrainingData data, CachedUtterances? replay)
    {
        var examples = replay is null ? data.Train.Examples : [.. data.Train.Examples, .. replay.Examples];
        var text = string.Join("\n", examples.Select(e => e.SourceId + "\t" + e.Text + "\t" + e.Frames));
        return Convert.ToHexStringLower(System.IO.Hashing.XxHash128.Hash(System.Text.Encoding.UTF8.GetBytes(text)));
    }

    public static string Percent(double? accuracy) => accuracy is null ? "n/a" : $"{accuracy.Value * 100:F1}%";

    /// <summary>Hours:minutes:seconds, with hours past 24 counted on (a general model's run takes days).</summary>
    internal static string Eta(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds < 0) return "--:--:--";
        var whole = (long)Math.Round(seconds);
        return $"{whole / 3600}:{whole / 60 % 60:00}:{whole % 60:00}";
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Where the training loop's wall time goes (the "time outside the model step" measure).</summary>
internal sealed class RunTimes
{
    public Stopwatch Clock { get; } = Stopwatch.StartNew();
    public TimeSpan Steps, Validation, Saving;

    public string Describe(TimeSpan loading)
    {
        var total = Math.Max(1e-9, Clock.Elapsed.TotalSeconds);
        string P(TimeSpan t) => $"{100 * t.TotalSeconds / total:F1}%";
        var compute = Steps - loading;
        var other = Clock.Elapsed - Steps - Validation - Saving;
        return $"Time: {Clock.Elapsed:h\\:mm\\:ss} — model steps {P(compute)}, loading features {P(loading)}, " +
               $"validation {P(Validation)}, checkpoints and state {P(Saving)}, other {P(other)}.";
    }
}

/// <summary>Counts the time the trainer spends loading utterances (feature cache reads, normalisation).</summary>
internal sealed class TimedUtterances(IUtteranceSource inner) : IUtteranceSource
{
    private long _ticks;
    public TimeSpan LoadTime => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));
    public int Count => inner.Count;
    public int FramesOf(int index) => inner.FramesOf(index);
    public bool IsReplay(int index) => inner.IsReplay(index);

    public Utterance Load(int index)
    {
        var start = Stopwatch.GetTimestamp();
        var u = inner.Load(index);
        Interlocked.Add(ref _ticks, Stopwatch.GetElapsedTime(start).Ticks);
        return u;
    }
}
