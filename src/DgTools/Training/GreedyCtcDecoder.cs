using DgTools.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace DgTools.Training;

/// <summary>Best-path CTC decoding for validation during training (the Decoding folder has the beam search).</summary>
public static class GreedyCtcDecoder
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
                    results[indices[b]] = Collapse(best.AsSpan((int)(b * frames), (int)lengthArray[b]));
            }
        }
        finally
        {
            if (wasTraining) model.train();
        }
        return results;
    }

    /// <summary>Merges repeats and drops blanks (unit 0).</summary>
    public static int[] Collapse(ReadOnlySpan<long> frameUnits)
    {
        var units = new List<int>();
        long previous = -1;
        foreach (var u in frameUnits)
        {
            if (u != previous && u != 0) units.Add((int)u);
            previous = u;
        }
        return [.. units];
    }
}
