// Frame targets for cross-entropy pretraining (FrameCrossEntropy) from an already trained model: per CTC output frame
// of each utterance, the blank or unit on the best CTC path for the utterance's labels. The search is the forced
// aligner's (CtcAlignmentGraph + WindowedViterbi) with the plain CTC topology: the labels as one "word" (the space is
// an ordinary unit here), no garbage state, no separator, and no pruning or early commits, so the path is exact.
using DgTools.Alignment;
using DgTools.Model;
using static TorchSharp.torch;

namespace DgTools.Training;

public static class FrameTargetAligner
{
    /// <summary>Plain CTC topology, exact Viterbi (training utterances are short: a few hundred frames).</summary>
    private static readonly AlignmentOptions Exact = new()
    {
        GarbagePenalty = null, SeparatorUnit = null, MaxActiveStates = int.MaxValue,
        CommitBeam = double.PositiveInfinity, MaxPendingFrames = int.MaxValue,
    };

    /// <summary>
    /// Runs <paramref name="model"/> in eval mode over <paramref name="source"/> in length-bucketed batches and returns,
    /// in source order, each utterance's best CTC path (unit id or 0 = blank per output frame of
    /// <paramref name="model"/>), or null when its labels cannot be aligned (more units than output frames). Callers
    /// drop the null ones from a frame cross-entropy run: the trainer refuses utterances without targets in that phase.
    /// The model must have the output frame rate of the model to be trained (checked by the caller; the trainer only
    /// maps small length differences).
    /// </summary>
    public static IReadOnlyList<int[]?> Align(ConformerCtc model, IUtteranceSource source, int maxFramesPerBatch = 20_000)
    {
        var results = new int[]?[source.Count];
        var units = model.Config.NumUnits;
        var frameSeconds = 1 / model.Config.OutputFramesPerSecond;
        var wasTraining = model.training;
        model.eval();
        try
        {
            var batching = new BatchingOptions { MaxFramesPerBatch = maxFramesPerBatch, LengthJitter = 0, ShortestFirstFirstEpoch = true };
            foreach (var indices in LengthBucketedBatches.PlanEpoch(source, batching, 0, 0))
            {
                var utterances = indices.Select(source.Load).ToList();
                float[] values;
                long[] lengths;
                long frames;
                using (NewDisposeScope())
                using (no_grad())
                {
                    var batch = Trainer.Collate(utterances, model.Config.InputDim);
                    var (logProbs, outLengths) = model.call(batch.Features, batch.Lengths);
                    values = logProbs.contiguous().data<float>().ToArray();
                    lengths = outLengths.data<long>().ToArray();
                    frames = logProbs.shape[1];
                }
                for (var b = 0; b < indices.Length; b++)
                {
                    var own = values.AsSpan((int)(b * frames * units), (int)(lengths[b] * units)).ToArray();
                    results[indices[b]] = BestPath(new LogPosteriors(own, units, frameSeconds), utterances[b].Labels);
                }
            }
        }
        finally
        {
            if (wasTraining) model.train();
        }
        return results;
    }

    /// <summary>The best CTC path for <paramref name="labels"/> as the emitted unit per frame; null if none fits.</summary>
    public static int[]? BestPath(LogPosteriors posteriors, int[] labels)
    {
        IReadOnlyList<int[]> words = labels.Length == 0 ? [] : [labels];
        if (CtcAlignmentGraph.MinimumFrames(words) > posteriors.Frames) return null;
        var graph = CtcAlignmentGraph.Build(words, garbage: false);
        var (path, _) = WindowedViterbi.Run(graph, posteriors, Exact);
        return path?.Select(state => graph.Emit[state]).ToArray();
    }
}
