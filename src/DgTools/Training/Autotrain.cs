// `dgtools autotrain`: train a model on the customer's data sets and leave behind the files the guide promises
// (<stem>.best.<remaining>.<accuracy>.dg, <stem>.checkpoint.…, <stem>.last.dg), with a countdown of samples, a
// forgetting guard, and resume after a crash. The run is a sequence of named stages over one resolved plan:
//   open the model → prepare data (training, validation, guard and replay sets, frame targets) → vocabulary →
//   plan (TrainingPlan: the recipe's settings, the run key) → resume (or measure the start) → train loop → finish.
// The trainer does the steps; this class owns the run around them.
using System.Diagnostics;
using DgTools.Alignment;
using DgTools.Data;
using DgTools.Decoding;
using DgTools.Inference;
using DgTools.Language;
using DgTools.Model;
using DgTools.Reporting;
using DgTools.Runtime;
using TorchSharp;
using DgTools.Preparation;

namespace DgTools.Training;

/// <summary>What a run did: its outputs, accuracies, and the facts of how it ran.</summary>
public sealed record AutotrainResult(
    string LastModelPath, long SamplesTrained, double? InitialAccuracy, double? FinalAccuracy,
    double? InitialGeneralAccuracy, double? FinalGeneralAccuracy, IReadOnlyList<string> AddedWords, bool Resumed)
{
    /// <summary>The plan the run followed (replay and guard sets in force, trainer settings, run key).</summary>
    public required TrainingPlan Plan { get; init; }
    /// <summary>Replayed general-domain samples per pass (0: no replay).</summary>
    public int ReplaySamplesPerPass { get; init; }
    /// <summary>Guard samples measured at each validation (0: no guard set).</summary>
    public int GuardSamples { get; init; }
    /// <summary>Word confidences before (the starting model) and after (the trained model, calibrated on its
    /// validation split and the guard set); null when the model could not be calibrated.</summary>
    public ConfidenceSummary? Confidence { get; init; }
}

public sealed class Autotrain
{
    /// <summary>How often the resume state is written, at the latest.</summary>
    public static readonly TimeSpan StateInterval = TimeSpan.FromMinutes(3);

    private readonly AutotrainOptions _options;
    private readonly ResourceDirectory _resources;
    private readonly IRunReporter _reporter;

    public Autotrain(AutotrainOptions options, ResourceDirectory resources, IRunReporter reporter)
    {
        options.Validate();
        _options = options;
        _resources = resources;
        _reporter = reporter;
    }

    /// <summary>The data a run trains and measures on.</summary>
    /// <param name="Train">What the trainer reads: the training split, plus replay, with frame targets when asked.</param>
    private sealed record PreparedData(TrainingData Data, IUtteranceSource Train, CachedUtterances? Guard, string? GuardDirectory,
        CachedUtterances? Replay, string? ReplayDirectory);

    /// <summary>The input model with this run's vocabulary update applied, and the words it added.</summary>
    private sealed record Vocabulary(DgModel Basis, IReadOnlyList<string> Added);

    public AutotrainResult Run(CancellationToken cancel = default)
    {
        var input = OpenModel(out var device);
        using var runLock = TrainingLock.Acquire(Path.Combine(_resources.TrainMetaDir, "autotrain.lock"),
            $"dgtools autotrain {Path.GetFileName(_options.ModelPath)}", _reporter.Warning);
        RemoveStaleTemporaries();
        var prepared = PrepareData(input, device, cancel);
        var vocabulary = UpdateVocabulary(input, prepared.Data);
        var plan = MakePlan(input, prepared);
        using var networks = new RunNetworks(input, _options.ModelPath, plan, prepared.Train, _reporter);
        var runDir = Path.Combine(_resources.TrainMetaDir, "runs", plan.RunKey());
        var validator = new Validator(networks.Model, input.Metadata, prepared.Data.Validate, prepared.Guard, plan.MaxValidationSamples);
        var (state, resumed) = Resume(plan, runDir, networks, validator, prepared.Data);
        state = TrainLoop(plan, runDir, networks, validator, state, vocabulary, input, prepared.Data, cancel);
        return Finish(plan, runDir, networks, state, vocabulary, prepared, resumed, input);
    }

    /// <summary>Stage: read the model, check it can train, and set up where it runs.</summary>
    private DgModel OpenModel(out torch.Device device)
    {
        var input = ModelFile.Read(_options.ModelPath, ModelArchitecture.ExpectedShapes);
        if (!input.Metadata.Trainable) throw new ModelFileError("model is not trainable", _options.ModelPath);
        if (ModelFile.UncheckedNote(input, _options.ModelPath) is { } note) _reporter.Info(note);
        // From here on the run sees the model as one that runs the stream's network itself: its features, the
        // trainer's parameters and the saved model all follow from the metadata.
        if (_options.TuneFrontEnd) input = NewModel.TuneSpeechEmbedding(input);
        device = new RuntimeSettings(_options.Device, _options.Threads).Apply();
        if (device.type != DeviceType.CPU) _reporter.Info($"Training on {device}.");
        CheckStorage();
        return input;
    }

    /// <summary>Before any work: the directories the run writes to are writable and have room for what it writes there
    /// (a full resource disk later, while features are extracted or the state is saved, stops the run with DiskFullError).</summary>
    private void CheckStorage()
    {
        StorageCheck.RequireWritable(_options.OutputDirectory, "the output directory",
            "autotrain writes its checkpoints and final model there (run it from a writable directory)");
        StorageCheck.RequireWritable(_resources.TrainMetaDir, "the resource directory",
            "autotrain keeps its lock, data splits and resume state in .train_meta/ there");
        StorageCheck.RequireWritable(_resources.FeaturesCacheDir, "the resource directory",
            "autotrain caches audio features in .features_cache/ there");
        var modelBytes = new FileInfo(_options.ModelPath).Length;
        StorageCheck.RequireFree(_options.OutputDirectory, 2 * modelBytes, "the output directory", "writing one model beside its temporary copy");
        // The resume state holds the weights, two optimizer moments and the anchor: about four models, written beside the old one.
        StorageCheck.RequireFree(_resources.TrainMetaDir, 8 * modelBytes, "the resource directory", "writing the resume state beside its previous copy");
    }

    /// <summary>A run killed mid-write (SIGKILL, power loss) leaves its temp files; the files they were replacing are intact.</summary>
    private void RemoveStaleTemporaries()
    {
        var stale = AtomicFile.RemoveStaleTemporaries(_options.OutputDirectory)
                    + AtomicFile.RemoveStaleTemporaries(_resources.TrainMetaDir, recursive: true)
                    + AtomicFile.RemoveStaleTemporaries(_resources.FeaturesCacheDir, recursive: true);
        if (stale > 0) _reporter.Info($"Removed {stale} temporary files left by an interrupted run.");
    }

    private static bool Untrained(DgModel model) => model.Metadata.Provenance.SamplesTrained == 0;

    /// <summary>Stage: the training and validation splits (long recordings aligned and cut), the guard set, the replay
    /// set mixed in when fine-tuning, and frame targets when training from scratch with them.</summary>
    private PreparedData PrepareData(DgModel input, torch.Device device, CancellationToken cancel)
    {
        var o = _options;
        var language = input.Metadata.Language;
        var untrained = Untrained(input);
        // Long recordings are aligned with the model as it is now (the input), and the alignments kept for later runs.
        var aligner = new AlignmentModel(() => new ModelPosteriorSource(input, o.ModelPath, device), Untrained: untrained);
        var guards = ForgettingGuards.For(_resources);
        var (data, (guard, guardDir)) = Interruptible(cancel, () => (
            ScreenTranscripts(TrainingDataLoader.Load(_resources, language, o.DatasetLocations, input, _reporter, aligner, cancel,
                discovery => CheckLanguage(discovery, input)), input, device, cancel),
            GuardSet.Load(o, input, _resources, guards, _reporter)));
        _reporter.Info($"Training samples: {data.Train.Count:N0}; validation samples: {data.Validate.Count:N0}" +
                       (guard is null ? "" : $"; general-domain guard samples: {guard.Count:N0}") + ".");
        // Replay (fine-tuning only): general-domain utterances mixed into every pass keep what the model knew.
        IUtteranceSource train = data.Train;
        CachedUtterances? replay = null;
        string? replayDir = null;
        if (!untrained && ReplaySet.Locate(o, input.Metadata, guards) is { } replaySet)
        {
            if (TrainingDataLoader.LoadDirectory(replaySet.Directory, _resources, language, input, _reporter, "replay") is { Count: > 0 } set)
            {
                (replay, replayDir) = (set, replaySet.Directory);
                train = new ReplayMixedUtterances(data.Train, set, o.ReplayFraction, o.Seed);
                _reporter.Info($"Replay: {train.Count - data.Train.Count:N0} general-domain samples from {replayDir} join every pass ({replaySet.Origin}).");
            }
        }
        else if (!untrained && o.ReplayFraction > 0)
            _reporter.Info("No general-domain replay set found for this model (see docs/usage.md); fine-tuning without replay.");
        if (o.FrameTargetsFrom is { } targetsFrom) train = WithFrameTargets(input, targetsFrom, train);
        return new PreparedData(data, train, guard, guardDir, replay, replayDir);
    }

    /// <summary>Before anything is written: the data sets are in the model's language (LanguageCheck), unless
    /// --language-check false. A model without a vocabulary cannot tell.</summary>
    private void CheckLanguage(DiscoveryResult discovery, DgModel input)
    {
        if (!_options.LanguageCheck || ModelLexicon.Read(input, _options.ModelPath) is not { VocabularySize: > 0 } lexicon) return;
        var options = new LanguageCheckOptions();
        var evidence = LanguageCheck.Measure(discovery, lexicon, Text.TextNormalizer.For(input.Metadata.Language), options);
        if (!LanguageCheck.Matches(evidence, lexicon, options)) throw LanguageCheck.Mismatch(evidence, options, discovery, _resources.Root);
        _reporter.Info($"Language check: {evidence.Describe(options)}.");
    }

    /// <summary>Fine-tuning: transcripts that clearly do not belong to their (short) recordings are left out, with a
    /// warning each (TranscriptScreen, the check `dgtools check` applies), unless --transcript-screen false. An untrained
    /// model cannot judge.</summary>
    private TrainingData ScreenTranscripts(TrainingData data, DgModel input, torch.Device device, CancellationToken cancel)
    {
        if (Untrained(input) || !_options.ScreenTranscripts) return data;
        using var engine = new InferenceEngine(input, _options.ModelPath, device);
        var language = input.Metadata.Language;
        data = data with
        {
            Train = TranscriptScreen.Apply(data.Train, engine, language, _reporter, cancel),
            Validate = TranscriptScreen.Apply(data.Validate, engine, language, _reporter, cancel),
        };
        if (data.Train.Count == 0)
            throw new DatasetError("no training samples: every training transcript was skipped (see the warnings above)", _resources.Root);
        return data;
    }

    /// <summary>Preparation stopped by SIGINT/SIGTERM: nothing to resume yet, the features cached so far stay.</summary>
    private static T Interruptible<T>(CancellationToken cancel, Func<T> prepare)
    {
        try
        {
            var result = prepare();
            cancel.ThrowIfCancellationRequested();
            return result;
        }
        catch (OperationCanceledException)
        {
            throw new InterruptedError("interrupted before training began: there is nothing to resume, and the features " +
                                       "extracted so far stay cached; run the same command again to start", resumable: false);
        }
    }

    /// <summary>From scratch with frame cross-entropy pretraining: the transcripts' best CTC paths under a trained model.</summary>
    private IUtteranceSource WithFrameTargets(DgModel input, string targetsFrom, IUtteranceSource train)
    {
        if (!Untrained(input))
            throw new ModelFileError($"--frame-targets-from is for training an untrained model from scratch (dgtools init); this one has trained {input.Metadata.Provenance.SamplesTrained:N0} samples", _options.ModelPath);
        var aligning = Stopwatch.StartNew();
        var targeted = FrameTargetedUtterances.Align(targetsFrom, input.Metadata, train);
        _reporter.Info($"Frame targets: {targeted.Count:N0} training samples aligned with {Path.GetFileName(targetsFrom)} in {aligning.Elapsed.TotalSeconds:F0} s" +
                       (targeted.Dropped > 0 ? $" ({targeted.Dropped:N0} too short for their transcripts left out)" : "") + ".");
        return targeted;
    }

    /// <summary>Stage: unless topping off, the training transcripts' new words and n-grams join the model's lexicon.</summary>
    private Vocabulary UpdateVocabulary(DgModel input, TrainingData data)
    {
        if (_options.TopOff) return new Vocabulary(input, []);
        var untrained = Untrained(input);
        var share = DomainTextShare(input);
        var update = ModelLexicon.AddTranscripts(input, data.Train.Examples.Select(e => e.Text), share, path: _options.ModelPath);
        _reporter.Info(update.Message);
        if (update.Weight > 1)
            _reporter.Info($"Language model: the training transcripts count {update.Weight:N0} times, {share:P0} of all counts (--domain-text-share).");
        // An untrained model's first vocabulary is its base vocabulary (a general model's training text), not words
        // "added" to a general model, so it is not recorded as added_words.
        var basis = untrained ? update.Model with { Metadata = update.Model.Metadata with { AddedWords = input.Metadata.AddedWords } } : update.Model;
        return new Vocabulary(basis, update.AddedWords);
    }

    // A general model's own text is not a domain to favour.
    private double DomainTextShare(DgModel input) => Untrained(input) ? 0 : _options.DomainTextShare;

    /// <summary>Stage: every choice of the run, resolved once (TrainingPlan).</summary>
    private TrainingPlan MakePlan(DgModel input, PreparedData prepared)
    {
        var o = _options;
        var fromScratch = Untrained(input);
        var train = prepared.Train;
        var trainer = TrainingRecipe.For(o, fromScratch, train);
        var batchesPerEpoch = LengthBucketedBatches.PlanEpoch(train, trainer.Batching, o.Seed, 0).Count;
        trainer = trainer with { Schedule = trainer.Schedule with { TotalSteps = Math.Max(1, (long)o.EffectiveRevisitCount * batchesPerEpoch) } };
        if (trainer.FrameCrossEntropyUpdates > 0)
            _reporter.Info($"Frame cross-entropy for the first {trainer.FrameCrossEntropyUpdates:N0} updates, then CTC.");
        var total = (long)o.EffectiveRevisitCount * train.Count;
        return new TrainingPlan
        {
            ModelUuid = input.Metadata.Uuid,
            OutputDirectory = Path.GetFullPath(o.OutputDirectory),
            FromScratch = fromScratch,
            TopOff = o.TopOff,
            RevisitCount = o.EffectiveRevisitCount,
            DatasetLocations = o.DatasetLocations,
            GuardDataset = prepared.GuardDirectory is { } g ? Path.GetFullPath(g) : null,
            ReplayDataset = prepared.ReplayDirectory is { } r ? Path.GetFullPath(r) : null,
            ReplayFraction = prepared.ReplayDirectory is null ? 0 : o.ReplayFraction,
            MaxValidationSamples = o.MaxValidationSamples,
            ValidateEvery = o.ValidateEvery ?? Math.Max(1, total / TrainingRecipe.ValidationsPerRun),
            TotalSamples = total,
            DomainTextShare = o.TopOff ? 0 : DomainTextShare(input),
            MergeRatio = fromScratch ? 1 : o.MergeRatio,
            FrameTargetsFrom = o.FrameTargetsFrom is { } f ? Path.GetFullPath(f) : null,
            TuneFrontEnd = input.Metadata.Architecture.SpeechEmbeddingTrainable,
            Trainer = trainer,
            DataFingerprint = DataFingerprint(prepared.Data, prepared.Replay),
        };
    }

    /// <summary>Stage: the saved state of the same run restored into the trainer, or the starting accuracies measured.</summary>
    private (RunState State, bool Resumed) Resume(TrainingPlan plan, string runDir, RunNetworks networks, Validator validator, TrainingData data)
    {
        if (_options.ResumeState is { } carried && !_options.Restart) RunState.Adopt(carried, runDir, _reporter);
        var state = RunState.TryResume(runDir, _options, plan.DataFingerprint, networks.Trainer, _reporter);
        if (validator.ValidationSamples < data.Validate.Count)
            _reporter.Info($"Validation during training uses {validator.ValidationSamples:N0} of the {data.Validate.Count:N0} validation samples.");
        if (state is not null)
        {
            var seen = networks.Trainer.Progress.SamplesSeen;
            _reporter.Info($"Resuming the interrupted run at {seen:N0} of {plan.TotalSamples:N0} samples " +
                           $"({plan.TotalSamples - seen:N0} remaining). Use --restart to start over.");
            return (state, true);
        }
        if (Directory.Exists(runDir)) Directory.Delete(runDir, recursive: true);
        var initial = validator.Measure();
        _reporter.Info($"Validation accuracy before training (greedy, no language model): {Percent(initial.Accuracy)}" +
                       (initial.General is null ? "." : $"; general domain: {Percent(initial.General)}."));
        return (new RunState(plan.DataFingerprint, [], [new HistoryPoint(0, null, initial.Accuracy, initial.General)],
            initial.Accuracy, initial.General), false);
    }

    /// <summary>Stage: train step by step to the plan's sample count, validating, checkpointing and saving the resume
    /// state on the way.</summary>
    private RunState TrainLoop(TrainingPlan plan, string runDir, RunNetworks networks, Validator validator, RunState state,
        Vocabulary vocabulary, DgModel input, TrainingData data, CancellationToken cancel)
    {
        var run = networks.Trainer;
        var policy = new CheckpointPolicy(CheckpointPolicy.StemFor(_options.ModelPath), state.Checkpoints);
        var progress = new LoopProgress(run.Progress.SamplesSeen, plan.TotalSamples);
        var sinceState = Stopwatch.StartNew();
        // The first multiple of ValidateEvery past `seen`: one rule for a fresh run, a resumed one and after each
        // validation, so a resumed run validates (and writes checkpoints) where the uninterrupted run does, also when
        // one batch carries the count past two multiples.
        long NextValidation(long seen) => (seen / plan.ValidateEvery + 1) * plan.ValidateEvery;
        var nextValidation = NextValidation(run.Progress.SamplesSeen);
        var history = state.History.ToList();
        while (run.Progress.SamplesSeen < plan.TotalSamples)
        {
            if (cancel.IsCancellationRequested)
            {
                // Between steps nothing is half-written: save where the run stands, then stop.
                state = state with { Checkpoints = policy.Entries.ToList(), History = history.ToList() };
                state.Save(runDir, run, input.Metadata);
                throw new InterruptedError($"interrupted at {run.Progress.SamplesSeen:N0} of {plan.TotalSamples:N0} samples; the run is saved " +
                                           "and the same command resumes it", resumable: true);
            }
            var stepStart = networks.Time.Clock.Elapsed;
            var step = run.TrainStep();
            networks.Time.Steps += networks.Time.Clock.Elapsed - stepStart;
            var seen = run.Progress.SamplesSeen;
            _reporter.Progress(progress.After(step, seen));
            if (seen >= nextValidation || seen >= plan.TotalSamples)
            {
                nextValidation = NextValidation(seen);
                var saveStart = ValidateAndCheckpoint(plan, networks, validator, policy, history, progress.TakeMeanLoss(), vocabulary, data, seen);
                state = state with { Checkpoints = policy.Entries.ToList(), History = history.ToList() };
                // After the last validation the final model is written at once and the run directory deleted.
                if (seen < plan.TotalSamples) state.Save(runDir, run, input.Metadata);
                networks.Time.Saving += networks.Time.Clock.Elapsed - saveStart;
                sinceState.Restart();
            }
            else if (sinceState.Elapsed > StateInterval)
            {
                state = state with { Checkpoints = policy.Entries.ToList(), History = history.ToList() };
                state.Save(runDir, run, input.Metadata);
                sinceState.Restart();
            }
        }
        return state with { Checkpoints = policy.Entries.ToList(), History = history.ToList() };
    }

    /// <summary>Measures the model as it would be saved (merged weights when merging), records the point, and writes
    /// a checkpoint unless this is the last validation. Returns when saving began (for the time split).</summary>
    private TimeSpan ValidateAndCheckpoint(TrainingPlan plan, RunNetworks networks, Validator validator, CheckpointPolicy policy,
        List<HistoryPoint> history, double? meanLoss, Vocabulary vocabulary, TrainingData data, long seen)
    {
        var validationStart = networks.Time.Clock.Elapsed;
        using var merged = networks.Merge?.Apply();
        var m = validator.Measure();
        networks.Time.Validation += networks.Time.Clock.Elapsed - validationStart;
        var saveStart = networks.Time.Clock.Elapsed;
        var remaining = Math.Max(0, plan.TotalSamples - seen);
        history.Add(new HistoryPoint(seen, meanLoss, m.Accuracy, m.General));
        _reporter.Info($"{remaining:N0} samples remaining: loss {meanLoss:F3}, greedy validation accuracy {Percent(m.Accuracy)}" +
                       (m.General is null ? "" : $", general domain {Percent(m.General)}"));
        if (remaining > 0)
        {
            var decision = policy.Record(remaining, m.Accuracy);
            WriteModel(Path.Combine(_options.OutputDirectory, decision.Write!), vocabulary.Basis, networks.Model, data, seen, m, history);
            foreach (var old in decision.Delete) TryDelete(Path.Combine(_options.OutputDirectory, old));
        }
        return saveStart;
    }

    /// <summary>Stage: re-calibrate the final model's word confidences, write &lt;stem&gt;.last.dg, drop the run
    /// directory, and say what the run did.</summary>
    private AutotrainResult Finish(TrainingPlan plan, string runDir, RunNetworks networks, RunState state, Vocabulary vocabulary,
        PreparedData prepared, bool resumed, DgModel input)
    {
        _reporter.Info(networks.Time.Describe(networks.Timed.LoadTime));
        var final = state.History[^1];
        var lastPath = Path.Combine(_options.OutputDirectory, new CheckpointPolicy(CheckpointPolicy.StemFor(_options.ModelPath), state.Checkpoints).LastFileName);
        var samples = networks.Trainer.Progress.SamplesSeen;
        ConfidenceSummary? confidence;
        using (networks.Merge?.Apply())
        {
            var last = Finished(vocabulary.Basis, networks.Model, prepared.Data, samples,
                new Measurement(final.ValidationAccuracy ?? 0, final.GeneralAccuracy), state.History);
            (last, confidence) = Calibrate(last, networks, input, prepared);
            ModelFile.Write(lastPath, last);
        }
        if (Directory.Exists(runDir)) Directory.Delete(runDir, recursive: true);
        return new AutotrainResult(lastPath, samples, state.InitialAccuracy, final.ValidationAccuracy,
            state.InitialGeneral, final.GeneralAccuracy, vocabulary.Added, resumed)
        {
            Plan = plan,
            ReplaySamplesPerPass = prepared.Train.Count - prepared.Data.Train.Count,
            GuardSamples = prepared.Guard?.Count ?? 0,
            Confidence = confidence,
        };
    }

    /// <summary>The final model re-calibrated on its validation split and up to <see cref="CalibrationGuardSamples"/>
    /// guard utterances (ConfidenceCalibrator), and the confidences before and after; the model unchanged when there
    /// is too little to calibrate on.</summary>
    private (DgModel, ConfidenceSummary?) Calibrate(DgModel last, RunNetworks networks, DgModel input, PreparedData prepared)
    {
        var sets = new List<CachedUtterances>();
        if (prepared.Data.Validate.Count > 0) sets.Add(prepared.Data.Validate);
        if (prepared.Guard is { Count: > 0 } guard) sets.Add(guard.Subset(CalibrationGuardSamples));
        if (sets.Count == 0)
        {
            _reporter.Info("No validation samples: the model's word confidences stay as they were (not re-calibrated).");
            return (last, null);
        }
        var source = "autotrain validation split" + (sets.Count > 1 ? " and general-domain guard set" : "");
        _reporter.Info($"Calibrating word confidences on the {source} ({sets.Sum(s => s.Count):N0} samples).");
        using var own = networks.Start is null ? ConformerCtc.FromFile(input, _options.ModelPath) : null;
        var result = ConfidenceCalibrator.Calibrate(networks.Model, last, networks.Start ?? own!, input, sets, source, MinCalibrationWords);
        if (result is null)
        {
            _reporter.Info($"The model recognised fewer than {MinCalibrationWords} words in the {source}: too few to fit a confidence map; " +
                           (ModelDecoding.ReadCalibration(last) is null ? "its confidences stay uncalibrated." : "it keeps the starting model's map."));
            return (last, null);
        }
        return (result.Value.Model, result.Value.Summary);
    }

    /// <summary>Recognised words (at least) a confidence map is fitted on; below this the fit would be noise.</summary>
    public const int MinCalibrationWords = 20;

    /// <summary>Guard utterances (at most) that join the validation split for fitting the confidence map.</summary>
    public const int CalibrationGuardSamples = 200;

    /// <param name="basis">The input model with this run's vocabulary update applied.</param>
    private void WriteModel(string path, DgModel basis, ConformerCtc model, TrainingData data, long samples,
        Measurement m, IReadOnlyList<HistoryPoint> history) =>
        ModelFile.Write(path, Finished(basis, model, data, samples, m, history));

    /// <summary>The model file's contents for the current weights. A checkpoint keeps the starting model's confidence
    /// map, if any (its own map is fitted only for the final model).</summary>
    private DgModel Finished(DgModel basis, ConformerCtc model, TrainingData data, long samples,
        Measurement m, IReadOnlyList<HistoryPoint> history)
    {
        var tags = basis.Metadata.Tags.ToList();
        if (_options.TopOff && !tags.Contains("topped-off")) tags.Add("topped-off");
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
        return basis with { Metadata = meta, Tensors = model.ExportTensors() };
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
