using DgTools.Decoding;
using DgTools.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace DgTools.Training;

/// <summary>Best-path CTC decoding of whole batches for validation during training: the argmax runs on the tensor,
/// the collapse is <see cref="CtcAlignment.Collapse"/> (the Decoding folder has the beam search).</summary>
public static class BatchedBestPath
{
    public static IReadOnlyList<int[]> Decode(ConformerCtc model, IUtteranceSource source, int maxFramesPerBatch = 20_000)
    {
        var results = new int[source.Count][];
        var wasTraining = model.training;
        model.eval();
        try
        {
            var plan = LengthBucketedBatches.PlanEpoch(source, new BatchingOptions { MaxFramesPerBatch = maxFramesPerBatch, LengthJitter = 0, ShortestFirstFirstEpoch = true }, 0, 0);
            foreach (var indices in plan)
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                var batch = Trainer.Collate(indices.Select(source.Load).ToList(), model.Config.InputDim);
                var (logProbs, lengths) = model.call(batch.Features, batch.Lengths);
                var best = logProbs.argmax(-1).data<long>().ToArray();
                var frames = logProbs.shape[1];
                var lengthArray = lengths.data<long>().ToArray();
                for (var b = 0; b < indices.Length; b++)
                {
                    var path = new int[lengthArray[b]];
                    for (var t = 0; t < path.Length; t++) path[t] = (int)best[b * frames + t];
                    results[indices[b]] = [.. CtcAlignment.Collapse(path)];
                }
            }
        }
        finally
        {
            if (wasTraining) model.train();
        }
        return results;
    }
}
