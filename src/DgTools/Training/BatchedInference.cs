// The model over a whole utterance source in length-sorted batches, for the passes that are not training steps:
// validation's best paths (BatchedBestPath) and frame targets (FrameTargetAligner).
using DgTools.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace DgTools.Training;

public static class BatchedInference
{
    /// <summary>
    /// Runs <paramref name="model"/> in eval mode without gradients over <paramref name="source"/> (batches of at most
    /// <paramref name="maxFramesPerBatch"/> padded frames, shortest first) and calls <paramref name="onBatch"/> with each
    /// batch's source indices, its utterances, the log-probabilities (B, T, units) and the output lengths, inside the
    /// batch's dispose scope. The model's training mode is restored afterwards.
    /// </summary>
    public static void Run(ConformerCtc model, IUtteranceSource source, int maxFramesPerBatch,
        Action<int[], IReadOnlyList<Utterance>, Tensor, long[]> onBatch)
    {
        var wasTraining = model.training;
        model.eval();
        try
        {
            var batching = new BatchingOptions { MaxFramesPerBatch = maxFramesPerBatch, LengthJitter = 0, ShortestFirstFirstEpoch = true };
            foreach (var indices in LengthBucketedBatches.PlanEpoch(source, batching, 0, 0))
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                var utterances = indices.Select(source.Load).ToList();
                var batch = Trainer.Collate(utterances, model.Config.FeatureColumns);
                var (logProbs, lengths) = model.call(batch.Features, batch.Lengths);
                onBatch(indices, utterances, logProbs, lengths.data<long>().ToArray());
            }
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }
}
