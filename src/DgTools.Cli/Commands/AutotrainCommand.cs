using System.CommandLine;
using System.Runtime.InteropServices;
using DgTools.Evaluation;
using DgTools.Model;
using DgTools.Reporting;
using DgTools.Runtime;
using DgTools.Cli.Rendering;
using DgTools.Configuration;
using DgTools.Training;

namespace DgTools.Cli.Commands;

public static class AutotrainCommand
{
    public static Command Create(CliEnvironment env)
    {
        var defaults = new AutotrainOptions { ModelPath = "", OutputDirectory = "" };   // the library's defaults, shown in --help
        var model = new Argument<string>("MODEL") { Description = "The trainable .dg model to start from." };
        var topOff = new Option<bool>("--top-off") { Description = "Skip adding new vocabulary words; revisit samples 10 times by default." };
        var revisit = new Option<int?>("--revisit-count") { Description = "Times each training sample is revisited (default 20; 10 with --top-off)." };
        var locations = new Option<string?>("--dataset-locations")
        {
            Description = "A data set (/dgtraining:A, /dgtraining/en:A, a directory) or a list file such as datasets.lst.",
        };
        var guard = new Option<string?>("--guard-dataset") { Description = "General-domain data set measured for forgetting (default: the model's own guard set, <model>.guard/ beside it or beside the installed general model it is or comes from)." };
        var restart = new Option<bool>("--restart") { Description = "Ignore the saved state of an interrupted run and start over." };
        var seed = new Option<long>("--seed") { Description = "Seed for batching, augmentation and dropout.", DefaultValueFactory = _ => TrainingRecipe.Seed };
        var runtime = RuntimeOptionFlags.Create();
        var learningRate = new Option<double?>("--learning-rate") { Description = "Peak learning rate (default: 2.5e-4 fine-tuning, 2e-3 from scratch)." };
        var warmup = new Option<int?>("--warmup-steps") { Description = "Updates over which the learning rate rises to its peak (default: 30 fine-tuning, 300 from scratch, at most a tenth of the run)." };
        var validateEvery = new Option<long?>("--validate-every") { Description = "Validate every N samples (default: 20 times per run)." };
        var maxValidation = new Option<int>("--max-validation-samples")
        {
            Description = "Validate during training on at most this many samples (an evenly spaced subset).",
            DefaultValueFactory = _ => defaults.MaxValidationSamples,
        };
        var anchor = new Option<double>("--anchor-weight")
        {
            Description = "Pull towards the starting weights (the forgetting guard); 0 turns it off.",
            DefaultValueFactory = _ => defaults.AnchorWeight,
        };
        var freeze = new Option<int>("--freeze-layers")
        {
            Description = "When fine-tuning: freeze the front end and this many of the lowest Conformer layers (0: train all).",
        };
        var resumeState = new Option<string?>("--resume-state")
        {
            Description = "A directory with the saved state (run.json, trainer.dgstate) of the same run made elsewhere; continues from it when this run has no state of its own.",
        };
        var replayDataset = new Option<string?>("--replay-dataset")
        {
            Description = "When fine-tuning: general-domain utterances mixed into every pass to keep the general domain (default: the model's own replay set, <model>.replay/ beside it or beside the installed general model it is or comes from).",
        };
        var replayFraction = new Option<double>("--replay-fraction")
        {
            Description = "Replayed general-domain samples per training sample (capped by the replay set); 0 turns replay off.",
            DefaultValueFactory = _ => defaults.ReplayFraction,
        };
        var distill = new Option<double>("--distill-weight")
        {
            Description = "When fine-tuning with replay: hold the model's outputs on the replayed general-domain samples close to the starting model's (a forgetting guard); 0 turns it off.",
            DefaultValueFactory = _ => defaults.DistillationWeight,
        };
        var mergeRatio = new Option<double>("--merge-ratio")
        {
            Description = "When fine-tuning: saved models keep this share of the change training made to the general model's weights (weight-space ensembling, a forgetting guard); 1 saves the trained weights.",
            DefaultValueFactory = _ => defaults.MergeRatio,
        };
        var domainShare = new Option<double>("--domain-text-share")
        {
            Description = "When fine-tuning: the share of the language model's counts the training transcripts get (0 to below 1; 0 adds them as plain counts).",
            DefaultValueFactory = _ => defaults.DomainTextShare,
        };
        var frequencyWarp = new Option<double>("--frequency-warp")
        {
            Description = "Vocal-tract-length perturbation: scale each training utterance's frequency axis by up to ± this share (e.g. 0.1), to stand in for voices the data lacks; 0 turns it off.",
            DefaultValueFactory = _ => defaults.FrequencyWarp,
        };
        var bandLimit = new Option<double>("--band-limit")
        {
            Description = "Share of training utterances heard band-limited (mel bins above a random 3.4–5.5 kHz zeroed), so that real 8 or 11 kHz recordings mixed with 16 kHz synthetic speech do not teach that an empty top band means a real voice; 0 turns it off.",
            DefaultValueFactory = _ => defaults.BandLimit,
        };
        var streamRate = new Option<double>("--stream-rate-scale")
        {
            Description = "Factor on the learning rate of the speech-embedding stream's projection (a model made with init --speech-embedding): its zero-initialised weights need larger steps than the trained ones to matter in a short run; 1 is the same rate.",
            DefaultValueFactory = _ => defaults.StreamRateScale,
        };
        var tuneFrontEnd = new Option<bool>("--tune-front-end")
        {
            Description = "Tune the speech-embedding stream's own network (its 20 convolutions) with the rest of the model instead of keeping it frozen: the features carry its melspectrogram and the model runs it, so training costs more; the saved model keeps tuning it.",
            DefaultValueFactory = _ => defaults.TuneFrontEnd,
        };
        var frontEndRate = new Option<double>("--front-end-rate-scale")
        {
            Description = "Factor on the learning rate of the speech-embedding network when it is tuned (--tune-front-end, or a model that tunes it); 1 is the same rate.",
            DefaultValueFactory = _ => defaults.FrontEndRateScale,
        };
        var frameTargets = new Option<string?>("--frame-targets-from")
        {
            Description = "When training an untrained model from scratch: a trained model (same language, features and frame rate) whose alignments of the training transcripts teach the first updates frame by frame, past CTC's all-blank start.",
        };
        var finalEvaluation = new Option<bool>("--final-evaluation")
        {
            Description = "At the end, measure the starting and the final model on the validation split as `dgtools evaluate` does (beam search + language model).",
            DefaultValueFactory = _ => true,
        };
        var languageCheck = new Option<bool>("--language-check")
        {
            Description = "Before any work, stop when the data sets are not in the model's language (their letters outside its alphabet, or too few of their words among its most common ones); false trains anyway.",
            DefaultValueFactory = _ => true,
        };
        var transcriptScreen = new Option<bool>("--transcript-screen")
        {
            Description = "When fine-tuning, leave out (with a warning each) short recordings whose transcripts do not fit their audio under the starting model, as `dgtools check` flags them; false trains on every pair (it also drops some correct ones: docs/reliability.md).",
            DefaultValueFactory = _ => true,
        };
        var command = new Command("autotrain", "Train a model on the data sets in the resource directory.")
        {
            finalEvaluation, languageCheck, transcriptScreen,
            model, topOff, revisit, locations, guard, restart, seed, runtime.Device, runtime.Threads, learningRate, warmup, validateEvery, maxValidation, anchor, freeze, replayDataset, replayFraction, distill, mergeRatio, resumeState, domainShare, frequencyWarp, bandLimit, streamRate, tuneFrontEnd, frontEndRate, frameTargets,
        };
        command.SetAction(int (parse) =>
        {
            var resources = env.Resources;
            var settings = runtime.Resolve(parse, env);
            var options = new AutotrainOptions
            {
                ModelPath = env.ResolvePath(parse.GetValue(model)!),
                OutputDirectory = env.CurrentDirectory,
                TopOff = parse.GetValue(topOff),
                LanguageCheck = parse.GetValue(languageCheck),
                ScreenTranscripts = parse.GetValue(transcriptScreen),
                RevisitCount = parse.GetValue(revisit),
                DatasetLocations = parse.GetValue(locations),
                GuardDataset = parse.GetValue(guard) is { } g ? env.ResolvePath(g) : null,
                Restart = parse.GetValue(restart),
                Seed = parse.GetValue(seed),
                Device = settings.Device,
                Threads = settings.Threads,
                LearningRate = parse.GetValue(learningRate),
                WarmupSteps = parse.GetValue(warmup),
                ValidateEvery = parse.GetValue(validateEvery),
                AnchorWeight = parse.GetValue(anchor),
                FrozenLayers = parse.GetValue(freeze),
                ReplayDataset = parse.GetValue(replayDataset) is { } rd ? env.ResolvePath(rd) : null,
                ReplayFraction = parse.GetValue(replayFraction),
                DistillationWeight = parse.GetValue(distill),
                MergeRatio = parse.GetValue(mergeRatio),
                ResumeState = parse.GetValue(resumeState) is { } rs ? env.ResolvePath(rs) : null,
                MaxValidationSamples = parse.GetValue(maxValidation),
                DomainTextShare = parse.GetValue(domainShare),
                FrequencyWarp = parse.GetValue(frequencyWarp),
                BandLimit = parse.GetValue(bandLimit),
                StreamRateScale = parse.GetValue(streamRate),
                TuneFrontEnd = parse.GetValue(tuneFrontEnd),
                FrontEndRateScale = parse.GetValue(frontEndRate),
                FrameTargetsFrom = parse.GetValue(frameTargets) is { } ft ? env.ResolvePath(ft) : null,
            };
            options.Validate();
            var reporter = new ConsoleReporter(env);
            AutotrainResult result;
            using (var interrupt = new Interruption(env))
            {
                try { result = new Autotrain(options, resources, reporter).Run(interrupt.Token); }
                catch (InterruptedError e)
                {
                    var command = "dgtools " + string.Join(' ', parse.Tokens.Select(t => Quote(t.Value)));
                    env.Err.WriteLine(e.Resumable ? $"{e.Message}: {command}" : e.Message);
                    return interrupt.ExitCode;
                }
            }
            reporter.Info("");
            reporter.Info($"Training complete: {result.SamplesTrained:N0} samples.");
            reporter.Info($"Validation accuracy (greedy, no language model; the checkpoint names' figure): {Autotrain.Percent(result.InitialAccuracy)} before, {Autotrain.Percent(result.FinalAccuracy)} after.");
            if (parse.GetValue(finalEvaluation) && ValidationWer(options, resources, result, reporter) is { } wer)
                reporter.Info($"Validation WER as `dgtools evaluate` measures it (beam search + language model): {wer.Before * 100:F1}% before, {wer.After * 100:F1}% after.");
            if (result.InitialGeneralAccuracy is not null)
                reporter.Info($"General-domain accuracy: {Autotrain.Percent(result.InitialGeneralAccuracy)} before, {Autotrain.Percent(result.FinalGeneralAccuracy)} after.");
            if (result.Confidence is { } c)
            {
                reporter.Info($"Word confidence on the {c.Source}: before {ConfidenceFitting.Describe(c.Before)}; " +
                              $"after (calibrated, cross-validated) {ConfidenceFitting.Describe(c.After)}" +
                              (c.PriorWords is { } n ? $" (shrunk towards the starting model's map, which counted as {n:0} words)." : "."));
            }
            reporter.Info($"Final model: {result.LastModelPath}");
            return CliApp.Ok;
        });
        return command;
    }

    /// <summary>The starting and the final model's WER on the validation split, decoded as `dgtools evaluate` decodes
    /// (each model's stored decoding options): validation during training is greedy, so its accuracy is not this figure.</summary>
    private static (double Before, double After)? ValidationWer(AutotrainOptions options, DgTools.Data.ResourceDirectory resources,
        AutotrainResult result, IRunReporter reporter)
    {
        var input = ModelFile.Read(options.ModelPath, ModelArchitecture.ExpectedShapes);
        var last = ModelFile.Read(result.LastModelPath, ModelArchitecture.ExpectedShapes);
        var quiet = new RecordingReporter();
        IReadOnlyList<DgTools.Data.Utterance> utterances;
        try
        {
            utterances = ModelEvaluation.SelectUtterances(resources, input.Metadata.Language,
                new EvaluationOptions { DatasetLocations = options.DatasetLocations }, quiet);
        }
        catch (DatasetError) { return null; }   // no validation split: nothing to compare
        reporter.Info($"Final evaluation: both models on the {utterances.Count:N0} validation utterances, as `dgtools evaluate` does (--final-evaluation false skips it).");
        var report = ModelEvaluation.Run([(options.ModelPath, input), (result.LastModelPath, last)], utterances,
            new EvaluationOptions { Device = ComputeDevice.Resolve(options.Device) }, quiet);
        return (report.Models[0].Wer, report.Models[1].Wer);
    }

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./:=+,@".Contains(c)) ? arg : "'" + arg.Replace("'", "'\\''") + "'";

    /// <summary>
    /// SIGINT (Ctrl-C) and SIGTERM ask the run to stop: it finishes the step it is in, saves its resume state, removes
    /// its temp files and lock, and says how to resume. A second signal is not intercepted: the process ends at once
    /// (the next run takes over the lock and cleans up).
    /// </summary>
    private sealed class Interruption : IDisposable
    {
        private readonly CancellationTokenSource _source = new();
        private readonly PosixSignalRegistration[] _registrations;
        private readonly CliEnvironment _env;
        private int _received;

        public Interruption(CliEnvironment env)
        {
            _env = env;
            _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
        }

        public CancellationToken Token => _source.Token;

        /// <summary>128 + the signal's number, as a shell reports a process the signal ended.</summary>
        public int ExitCode { get; private set; } = 130;

        private void Handle(PosixSignalContext context)
        {
            if (Interlocked.Increment(ref _received) > 1) return;   // not cancelled: the default action ends the process now
            context.Cancel = true;
            ExitCode = context.Signal == PosixSignal.SIGTERM ? 143 : 130;
            _env.Err.WriteLine($"{(context.Signal == PosixSignal.SIGTERM ? "SIGTERM" : "interrupt")}: stopping after the current step and saving the run (Ctrl-C again exits at once)");
            _source.Cancel();
        }

        public void Dispose()
        {
            foreach (var r in _registrations) r.Dispose();
            _source.Dispose();
        }
    }
}
