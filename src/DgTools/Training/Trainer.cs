// The training core: one call = one batch (forward, CTC loss — or frame cross-entropy for the first
// FrameCrossEntropyUpdates updates — backward, clipping, AdamW). Deterministic from
// (model weights, data, options): batches, augmentation and dropout draw from SeedSequence, so an interrupted run
// restored with RestoreState continues bit-identically on CPU. The caller (autotrain) owns the loop, validation
// cadence, checkpoints and progress reporting.
using DgTools.Decoding;
using DgTools.Inference;
using DgTools.Model;
using DgTools.Model.SpeechEmbedding;
using TorchSharp;
using static TorchSharp.torch;

namespace DgTools.Training;

/// <param name="Loss">Mean CTC loss per label over the batch (plus the weighted intermediate loss when on); in the frame
/// cross-entropy phase the mean cross-entropy per output frame instead.</param>
/// <param name="Skipped">True when the gradient was not finite and no update was made.</param>
public sealed record StepResult(long Step, int Utterances, long Frames, double Loss, double LearningRate, double GradientNorm, bool Skipped);

public sealed class Trainer : IDisposable
{
    private readonly ConformerCtc _model;
    private readonly ConformerCtc? _teacher;
    private readonly IUtteranceSource _data;
    private readonly AdamW _optimizer;
    private readonly List<(string Name, TorchSharp.Modules.Parameter Parameter)> _trainable;
    private IReadOnlyList<int[]>? _plan;
    private int _planEpoch = -1;

    /// <param name="teacher">The starting model, frozen: the distillation guard's reference (needed when
    /// <see cref="ForgettingGuard.DistillationWeight"/> is above 0; the trainer does not own it).</param>
    public Trainer(ConformerCtc model, IUtteranceSource data, TrainerOptions options, ConformerCtc? teacher = null)
    {
        if (data.Count == 0) throw new DatasetError("there are no training utterances");
        if (options.Guard.DistillationWeight > 0 && teacher is null)
            throw new ArgumentException("distillation needs the starting model as the teacher", nameof(teacher));
        _model = model;
        if (options.Guard.DistillationWeight > 0)
        {
            _teacher = teacher!;
            _teacher.eval();
            foreach (var p in _teacher.parameters()) p.requires_grad = false;
        }
        _data = data;
        Options = options;
        var all = model.named_parameters().ToList();
        foreach (var (name, p) in all) p.requires_grad = !IsFrozen(name, options.Guard.FrozenLayers);
        _trainable = all.Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter)).ToList();
        var anchored = options.Guard.AnchorDecay > 0;
        _optimizer = new AdamW(all.Select(p => (p.name, p.parameter)), anchored ? options.Guard.AnchorDecay : options.WeightDecay, anchored,
            rateScale: name => name.StartsWith("speech_embedding_", StringComparison.Ordinal) ? options.StreamRateScale ?? 1
                : SpeechEmbeddingNetwork.IsConvolution(name) ? options.FrontEndRateScale ?? 1 : 1);
    }

    public TrainerOptions Options { get; }

    public TrainerProgress Progress { get; private set; } = TrainerProgress.Start;

    public ConformerCtc Model => _model;

    /// <summary>True while the loss is frame cross-entropy (<see cref="TrainerOptions.FrameCrossEntropyUpdates"/>).</summary>
    public bool InFrameCrossEntropyPhase => Progress.OptimizerUpdates < Options.FrameCrossEntropyUpdates;

    /// <summary>Batches in the current epoch's plan (for progress estimates).</summary>
    public int BatchesInEpoch => PlanFor(Progress.Epoch).Count;

    private static bool IsFrozen(string name, int frozenLayers)
    {
        if (frozenLayers <= 0) return false;
        if (name.StartsWith("subsampling.", StringComparison.Ordinal)) return true;
        var parts = name.Split('.');
        return parts[0] == "layers" && int.Parse(parts[1]) < frozenLayers;
    }

    private IReadOnlyList<int[]> PlanFor(int epoch)
    {
        if (_planEpoch != epoch)
        {
            _plan = LengthBucketedBatches.PlanEpoch(_data, Options.Batching, Options.Seed, epoch);
            _planEpoch = epoch;
        }
        return _plan!;
    }

    /// <summary>Trains on the next batch of the seeded epoch plan.</summary>
    public StepResult TrainStep()
    {
        var progress = Progress;
        var plan = PlanFor(progress.Epoch);
        if (progress.BatchInEpoch >= plan.Count) progress = progress with { Epoch = progress.Epoch + 1, BatchInEpoch = 0 };
        plan = PlanFor(progress.Epoch);
        var indices = plan[progress.BatchInEpoch];
        var replayRows = indices.Select(_data.IsReplay).ToArray();

        var augmentRandom = new Random(SeedSequence.Derive(Options.Seed, SeedSequence.Augmentation, progress.Step));
        var utterances = indices.Select(i => Augmentation.Apply(_data.Load(i), Options.Augmentation, augmentRandom, _model.Config.InputDim)).ToList();
        var rate = Options.Schedule.RateAt(progress.OptimizerUpdates);
        var frameCrossEntropy = InFrameCrossEntropyPhase;
        if (frameCrossEntropy) FrameCrossEntropy.RequireTargets(utterances, indices);

        double lossValue, norm;
        bool skipped;
        using (var scope = NewDisposeScope())
        using (var dropoutGenerator = new Generator((ulong)SeedSequence.Derive(Options.Seed, SeedSequence.Dropout, progress.Step)))
        {
            _model.train();
            _model.Randomness.Generator = dropoutGenerator;
            var batch = Collate(utterances, _model.Config.FeatureColumns);
            var loss = Loss(batch, replayRows, frameCrossEntropy);
            loss.backward();
            _model.Randomness.Generator = null;
            lossValue = loss.item<float>();
            norm = Options.GradientClipNorm > 0
                ? nn.utils.clip_grad_norm_(_trainable.Select(p => p.Parameter), Options.GradientClipNorm)
                : GradientNorm();
            skipped = !double.IsFinite(norm) || !double.IsFinite(lossValue);
            if (!skipped) _optimizer.Step(rate);
            foreach (var (_, p) in _trainable) p.grad?.zero_();
        }

        var frames = utterances.Sum(u => (long)u.Frames);
        Progress = progress with
        {
            Step = progress.Step + 1,
            SamplesSeen = progress.SamplesSeen + indices.Length,
            BatchInEpoch = progress.BatchInEpoch + 1,
            OptimizerUpdates = _optimizer.Updates,
        };
        return new StepResult(progress.Step, indices.Length, frames, lossValue, rate, norm, skipped);
    }

    private Tensor Loss(CollatedBatch batch, bool[] replayRows, bool frameCrossEntropy)
    {
        Tensor final, outLengths, loss;
        Tensor? intermediate = null;
        if (Options.IntermediateCtcWeight <= 0) (final, outLengths) = _model.call(batch.Features, batch.Lengths);
        else
        {
            var tap = Math.Max(1, _model.Config.NumLayers / 2);
            (final, intermediate, outLengths) = _model.ForwardWithIntermediate(batch.Features, batch.Lengths, tap);
        }
        Func<Tensor, Tensor> objective = frameCrossEntropy
            ? FrameCrossEntropy.Objective(batch.FrameTargets, outLengths, final.shape[1], _model.Config.NumUnits)
            : logProbs => Ctc(logProbs, outLengths, batch);
        if (intermediate is null) loss = objective(final);
        else
        {
            var w = Options.IntermediateCtcWeight;
            using var finalWeight = (1 - w).ToScalar();
            using var intermediateWeight = w.ToScalar();
            loss = objective(final).mul(finalWeight).add(objective(intermediate), intermediateWeight);
        }
        if (_teacher is null || !replayRows.Contains(true)) return loss;
        using var distillationWeight = Options.Guard.DistillationWeight.ToScalar();
        return loss.add(Distillation(final, outLengths, batch, replayRows), distillationWeight);
    }

    /// <summary>
    /// KL(teacher ‖ model) per output frame, averaged over the real frames of the replayed rows: the starting model's
    /// whole output distribution (blank and every character) is the target there, not only its best path.
    /// </summary>
    private Tensor Distillation(Tensor logProbs, Tensor lengths, CollatedBatch batch, bool[] replayRows)
    {
        Tensor target;
        using (no_grad()) target = _teacher!.call(batch.Features, batch.Lengths).Item1;
        var perFrame = target.exp().mul(target.sub(logProbs)).sum(-1);   // (B, T)
        var frames = arange(perFrame.shape[1], device: perFrame.device).unsqueeze(0).lt(lengths.unsqueeze(1));
        var rows = tensor(replayRows, device: perFrame.device).unsqueeze(1);
        return perFrame.masked_select(frames.logical_and(rows)).mean();
    }

    private static Tensor Ctc(Tensor logProbs, Tensor lengths, CollatedBatch batch) =>
        nn.functional.ctc_loss(logProbs.transpose(0, 1), batch.Targets, lengths, batch.TargetLengths,
            blank: 0, zero_infinity: true, reduction: nn.Reduction.Mean);

    private double GradientNorm()
    {
        using var scope = NewDisposeScope();
        var squares = _trainable.Where(p => p.Parameter.grad is not null).Select(p => p.Parameter.grad!.pow(KeptScalars.Two).sum()).ToList();
        return squares.Count == 0 ? 0 : stack(squares).sum().sqrt().item<float>();
    }

    internal sealed record CollatedBatch(Tensor Features, Tensor Lengths, Tensor Targets, Tensor TargetLengths, int[]?[] FrameTargets);

    /// <summary>Pads to the longest utterance: features (B, T, F), lengths (B), targets concatenated, target lengths,
    /// and the utterances' frame targets as they are (mapped to output lengths by the loss).</summary>
    internal static CollatedBatch Collate(IReadOnlyList<Utterance> utterances, int featureDim)
    {
        var longest = utterances.Max(u => u.Frames);
        var features = new float[utterances.Count * longest * featureDim];
        for (var b = 0; b < utterances.Count; b++)
        {
            var u = utterances[b];
            if (u.FeatureDim != featureDim) throw new DatasetError($"utterance has {u.FeatureDim} feature bins, the model expects {featureDim}");
            Array.Copy(u.Features, 0, features, (long)b * longest * featureDim, u.Features.Length);
        }
        return new CollatedBatch(
            tensor(features, [utterances.Count, longest, featureDim]),
            tensor(utterances.Select(u => (long)u.Frames).ToArray()),
            tensor(utterances.SelectMany(u => u.Labels.Select(l => (long)l)).ToArray()),
            tensor(utterances.Select(u => (long)u.Labels.Length).ToArray()),
            utterances.Select(u => u.FrameTargets).ToArray());
    }

    /// <summary>
    /// Greedy CTC decoding of every utterance in <paramref name="source"/> (eval mode, no augmentation): per frame the
    /// most likely unit, repeats merged, blanks removed. Results are in source order.
    /// </summary>
    public IReadOnlyList<int[]> GreedyDecode(IUtteranceSource source, int maxFramesPerBatch = 20_000)
    {
        var results = new int[source.Count][];
        using var engine = InferenceEngine.Over(_model);
        engine.Posteriors(source, (i, _, posteriors) => results[i] = [.. CtcAlignment.Collapse(CtcAlignment.BestPath(posteriors))],
            maxFramesPerBatch);
        return results;
    }

    /// <summary>A deep copy of everything needed to continue exactly where this trainer stands.</summary>
    public TrainerState CaptureState()
    {
        var tensors = new Dictionary<string, TensorData>();
        foreach (var (name, t) in _model.NamedTensors()) tensors["model." + name] = TorchTensorData.ToTensorData(t);
        foreach (var (name, t) in _optimizer.StateTensors()) tensors["optimizer." + name] = TorchTensorData.ToTensorData(t);
        return new TrainerState(Progress, Options.Seed, tensors);
    }

    /// <summary>Puts weights, optimizer moments and counters back; the next TrainStep continues the saved run.</summary>
    public void RestoreState(TrainerState state)
    {
        if (state.Seed != Options.Seed) throw new ModelFileError($"training state was made with seed {state.Seed}, this run uses {Options.Seed}");
        using var scope = NewDisposeScope();
        _model.LoadNamedTensors(Select(state.Tensors, "model."));
        _optimizer.LoadState(state.Progress.OptimizerUpdates, Select(state.Tensors, "optimizer."));
        Progress = state.Progress;
    }

    private static Dictionary<string, Tensor> Select(IReadOnlyDictionary<string, TensorData> tensors, string prefix) =>
        tensors.Where(t => t.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(t => t.Key[prefix.Length..], t => TorchTensorData.ToTensor(t.Value));

    public void Dispose() => _optimizer.Dispose();
}
