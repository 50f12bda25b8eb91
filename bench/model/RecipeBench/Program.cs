// Convergence recipe comparisons on real speech (../shared/data/fsdd-digits, 16 kHz Kaldi fbank as the product
// computes it): each variant trains the default-size model from scratch for the same number of steps on one thread
// and reports, every --every steps, the process CPU seconds, the mean training loss and the greedy CER on held-out
// takes of the training speakers and on an unseen speaker.
// Usage: RecipeBench VARIANT [--steps 400] [--every 50] [--threads 1] [--corpus DIR [--train 3000] [--batch-frames 6000]]
//                    [--ce-updates 150] [--aligner MODEL.dg]
//        RecipeBench plot OUT RUN.csv...   (the curves: OUT-cer.png, OUT-loss.png; RecipePlot.cs)
//   VARIANT: base | sub8 (8× + head ×2) | peak5e-3 | peak1e-3 | curriculum | interctc | interctc-curriculum
//            | small (d=96, 4 layers) | interctc-ce (interctc + frame cross-entropy for the first --ce-updates
//            updates, targets: the best CTC paths of --aligner, default models/general-en.dg)
//            | interctc-curriculum-ce (the product's from-scratch recipe with --frame-targets-from)
using System.Diagnostics;
using DgTools.Audio;
using DgTools.Evaluation;
using DgTools.Model;
using DgTools.Text;
using DgTools.Training;
using static TorchSharp.torch;

if (args is ["plot", var plotOutput, .. var csvFiles])
{
    RecipePlot.Write(plotOutput, csvFiles);
    return;
}
var variant = args.Length > 0 ? args[0] : "base";
var arguments = args.Skip(1).Chunk(2).ToDictionary(p => p[0].TrimStart('-'), p => p[1]);
int Arg(string name, int fallback) => arguments.TryGetValue(name, out var v) ? int.Parse(v) : fallback;
var (steps, every) = (Arg("steps", 400), Arg("every", 50));
DgTools.Runtime.ComputeDevice.SetThreads(Arg("threads", 1));   // also switches NNPACK off (its log flood)

// Data: spoken digits (default), or with --corpus DIR a TTS corpus from scripts/build-corpus.sh (sentences of many
// lengths, which curriculum needs): the first --train N utterances of its training sets; its general-validate
// (training voices, sentences not in the training text) and the reserved voices' test set as the two CER columns.
var letters = Alphabet.For("en");
var extractor = new FbankExtractor(new FeatureConfig());
var corpus = arguments.TryGetValue("corpus", out var corpusDir) ? Path.GetFullPath(corpusDir) : null;
(Utterance, string) LoadFile(string stem, Func<string, string> normalize)
{
    var text = normalize(File.ReadAllText(stem + ".txt"));
    var features = extractor.Compute(AudioDecoder.LoadMono16k(stem + ".wav")).NormalizedPerUtterance();
    return (new Utterance(features.Data, features.Frames, letters.Encode(text)), text);
}
List<(Utterance, string)> train, heldOut, unseen;
if (corpus is null)
{
    var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../../../shared/data/fsdd-digits"));
    (Utterance, string) Load(string speaker, int digit, int take) =>
        LoadFile(Path.Combine(root, $"{digit}_{speaker}_{take}"), t => t.Trim());
    string[] trainSpeakers = ["george", "jackson", "lucas", "nicolas", "theo"];
    train = trainSpeakers.SelectMany(s => Enumerable.Range(0, 10).SelectMany(d => Enumerable.Range(10, 12).Select(t => Load(s, d, t)))).ToList();
    heldOut = trainSpeakers.SelectMany(s => Enumerable.Range(0, 10).SelectMany(d => Enumerable.Range(1, 2).Select(t => Load(s, d, t)))).ToList();
    unseen = Enumerable.Range(0, 10).SelectMany(d => Enumerable.Range(1, 5).Select(t => Load("yweweler", d, t))).ToList();
}
else
{
    var normalizer = TextNormalizer.For("en");
    List<(Utterance, string)> LoadSet(IEnumerable<string> dirs, int count, int stride = 1) => dirs
        .SelectMany(d => Directory.GetFiles(d, "*.txt").Order(StringComparer.Ordinal))
        .Where((_, i) => i % stride == 0).Take(count)
        .Select(f => LoadFile(f[..^4], t => normalizer.Normalize(t))).ToList();
    var sets = Directory.GetDirectories(Path.Combine(corpus, "dgdatasets"), "general-0*").Order(StringComparer.Ordinal).ToList();
    train = LoadSet(sets, Arg("train", 3000));
    heldOut = LoadSet([Path.Combine(corpus, "dgdatasets", "general-validate")], 150, stride: 2);
    unseen = LoadSet([Path.Combine(corpus, "heldout", "reserved-voices")], 150, stride: 4);
}

var config = new ModelConfig { NumUnits = letters.Count };
var options = new TrainerOptions
{
    Seed = 1,
    Batching = new BatchingOptions { MaxFramesPerBatch = 3000 },
    Schedule = new LearningRateSchedule { PeakLearningRate = TrainingRecipe.ScratchLearningRate, WarmupSteps = 50, TotalSteps = steps },
};
// On the TTS corpus: the product's from-scratch batches (60 s) and a longer warm-up.
if (corpus is not null)
    options = options with { Batching = new BatchingOptions { MaxFramesPerBatch = Arg("batch-frames", 6000) }, Schedule = options.Schedule with { WarmupSteps = 100 } };
(config, options) = variant switch
{
    "base" => (config, options),
    "sub8" => (config with { Subsampling = 8, HeadUpsampling = 2 }, options),
    "peak5e-3" => (config, options with { Schedule = options.Schedule with { PeakLearningRate = 5e-3 } }),
    "peak1e-3" => (config, options with { Schedule = options.Schedule with { PeakLearningRate = 1e-3 } }),
    "curriculum" => (config, options with { Batching = options.Batching with { ShortestFirstFirstEpoch = true } }),
    "interctc" => (config, options with { IntermediateCtcWeight = 0.3 }),
    // The product's from-scratch recipe (TrainingRecipe.FromScratch: curriculum, InterCTC, no guard).
    "interctc-curriculum" => (config, TrainingRecipe.FromScratch(options, frameCrossEntropyUpdates: 0)),
    "small" => (config with { DModel = 96, NumLayers = 4, FeedForwardDim = 384 }, options),
    // Frame cross-entropy pretraining (issue #9): past the all-blank plateau with targets from a trained model.
    "interctc-ce" => (config, options with { IntermediateCtcWeight = 0.3, FrameCrossEntropyUpdates = Arg("ce-updates", 150) }),
    // The product's from-scratch recipe with `autotrain --frame-targets-from`: curriculum, InterCTC and frame CE.
    "interctc-curriculum-ce" => (config, TrainingRecipe.FromScratch(options, Arg("ce-updates", TrainingRecipe.ScratchFrameCrossEntropyUpdates))),
    _ => throw new ArgumentException($"unknown variant {variant}"),
};
IUtteranceSource trainSource = new InMemoryUtterances(train.Select(t => t.Item1).ToList());
if (options.FrameCrossEntropyUpdates > 0) trainSource = WithFrameTargets(trainSource);

using var model = new ConformerCtc(config, seed: 1);
using var trainer = new Trainer(model, trainSource, options);
double Cer(List<(Utterance, string)> set) => WordErrorRate.ScoreCharacters(set.Zip(
    trainer.GreedyDecode(new InMemoryUtterances(set.Select(s => s.Item1).ToList())),
    (s, h) => (s.Item2, letters.Decode(h)))).Rate;

Console.WriteLine($"variant {variant}: {model.parameters().Sum(p => p.numel()) / 1e6:F2} M params, {trainSource.Count} training utterances, " +
                  $"{trainer.BatchesInEpoch} batches/epoch");
Console.WriteLine(corpus is null ? "variant,step,epoch,cpu_s,train_loss,cer_heldout_takes,cer_unseen_speaker"
    : "variant,step,epoch,cpu_s,train_loss,cer_heldout_sentences,cer_reserved_voices");
var cpu = Process.GetCurrentProcess();
var start = cpu.TotalProcessorTime;
var losses = new List<double>();
while (trainer.Progress.Step < steps)
{
    var wasCrossEntropy = trainer.InFrameCrossEntropyPhase;
    losses.Add(trainer.TrainStep().Loss);
    if (wasCrossEntropy && !trainer.InFrameCrossEntropyPhase)
        Console.WriteLine($"# step {trainer.Progress.Step}: frame cross-entropy done, CTC from here (train_loss was frame CE)");
    if (trainer.Progress.Step % every != 0) continue;
    cpu.Refresh();
    var seconds = (cpu.TotalProcessorTime - start).TotalSeconds;
    Console.WriteLine($"{variant},{trainer.Progress.Step},{trainer.Progress.Epoch},{seconds:F0},{losses.TakeLast(every).Average():F3},{Cer(heldOut):F3},{Cer(unseen):F3}");
}

// The training utterances with FrameTargets from the --aligner model's best CTC paths (the product's
// `autotrain --frame-targets-from`); those it cannot align are dropped. The aligner must read the same features and
// emit the same units at the new model's output frame rate (FrameTargetedUtterances checks).
IUtteranceSource WithFrameTargets(IUtteranceSource utterances)
{
    var path = arguments.TryGetValue("aligner", out var given) ? Path.GetFullPath(given)
        : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../../models/general-en.dg"));
    var student = new ModelMetadata { Architecture = config, Units = letters.Units, Features = new FeatureConfig() };
    var clock = Stopwatch.StartNew();
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var targeted = FrameTargetedUtterances.Align(path, student, utterances);
    var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
    Console.WriteLine($"aligned {utterances.Count} utterances with {Path.GetFileName(path)} in {clock.Elapsed.TotalSeconds:F1} s " +
                      $"({cpuSeconds:F1} CPU s); {targeted.Dropped} could not be aligned and are dropped");
    return targeted;
}
