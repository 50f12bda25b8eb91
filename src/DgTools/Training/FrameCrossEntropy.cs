// Frame-level cross-entropy: the loss of the first TrainerOptions.FrameCrossEntropyUpdates updates of a from-scratch
// run. Every CTC output frame gets its unit (or blank) from Utterance.FrameTargets — the best CTC path an already
// trained model finds (FrameTargetAligner) — so the model is told where each character sits instead of having to
// discover it from the all-blank plateau that CTC starts on. Afterwards the trainer switches to CTC.
//
// Targets are stored at the unaugmented utterance's output frames. A time stretch changes the frame count, and the
// target model may round the output length differently, so targets are mapped onto the model's actual output length
// per utterance by nearest neighbour: output frame t takes target floor(t · source / output). That can drop or
// repeat a single frame's unit; as a frame-level teacher signal that is harmless (CTC takes over afterwards).
using TorchSharp;
using static TorchSharp.torch;

namespace DgTools.Training;

public static class FrameCrossEntropy
{
    /// <summary>The targets mapped onto <paramref name="outputFrames"/> frames: frame t takes
    /// targets[floor(t · targets.Length / outputFrames)].</summary>
    public static int[] Resample(int[] targets, int outputFrames)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(outputFrames);
        if (targets.Length == 0 && outputFrames > 0) throw new ArgumentException("there are no targets to map", nameof(targets));
        var result = new int[outputFrames];
        for (var t = 0; t < outputFrames; t++) result[t] = targets[(int)((long)t * targets.Length / outputFrames)];
        return result;
    }

    /// <summary>Throws <see cref="DatasetError"/> naming the first utterance without frame targets.</summary>
    internal static void RequireTargets(IReadOnlyList<Utterance> utterances, IReadOnlyList<int> indices)
    {
        for (var b = 0; b < utterances.Count; b++)
        {
            if (utterances[b].FrameTargets is null)
                throw new DatasetError($"utterance {indices[b]} has no frame targets, which frame cross-entropy " +
                                       "pretraining needs (give every utterance FrameTargets or set FrameCrossEntropyUpdates to 0)");
        }
    }

    /// <summary>
    /// The loss for this batch: log-probabilities (B, T, U) → mean negative log-probability of the target unit over the
    /// real output frames (<paramref name="lengths"/>); padded frames do not count.
    /// </summary>
    internal static Func<Tensor, Tensor> Objective(IReadOnlyList<int[]?> targets, Tensor lengths, long paddedFrames, int numUnits)
    {
        if (targets.Any(t => t!.Any(u => u < 0 || u >= numUnits)))
            throw new DatasetError($"a frame target lies outside the model's units 0…{numUnits - 1}");
        var outputLengths = lengths.cpu().data<long>().ToArray();
        // Built as arrays (no tensor arithmetic with C# numbers: see Model/KeptScalars.cs).
        var units = new long[targets.Count * paddedFrames];
        var real = new bool[units.Length];
        for (var b = 0; b < targets.Count; b++)
        {
            var mapped = Resample(targets[b]!, (int)outputLengths[b]);
            for (var t = 0; t < mapped.Length; t++)
            {
                units[b * paddedFrames + t] = mapped[t];
                real[b * paddedFrames + t] = true;
            }
        }
        var index = tensor(units, [targets.Count, paddedFrames, 1]);
        var mask = tensor(real, [targets.Count, paddedFrames]);
        return logProbs => logProbs.gather(-1, index.to(logProbs.device)).squeeze(-1).masked_select(mask.to(logProbs.device)).mean().neg();
    }
}
