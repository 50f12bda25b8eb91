using DgTools.Decoding;
using DgTools.Model;

namespace DgTools.Training;

/// <summary>Best-path CTC decoding of whole batches for validation during training: the argmax runs on the tensor,
/// the collapse is <see cref="CtcAlignment.Collapse"/> (the Decoding folder has the beam search).</summary>
public static class BatchedBestPath
{
    public static IReadOnlyList<int[]> Decode(ConformerCtc model, IUtteranceSource source, int maxFramesPerBatch = 20_000)
    {
        var results = new int[source.Count][];
        BatchedInference.Run(model, source, maxFramesPerBatch, (indices, _, logProbs, lengths) =>
        {
            var best = logProbs.argmax(-1).data<long>().ToArray();
            var frames = logProbs.shape[1];
            for (var b = 0; b < indices.Length; b++)
            {
                var path = new int[lengths[b]];
                for (var t = 0; t < path.Length; t++) path[t] = (int)best[b * frames + t];
                results[indices[b]] = [.. CtcAlignment.Collapse(path)];
            }
        });
        return results;
    }
}
