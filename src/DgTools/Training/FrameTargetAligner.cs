// Frame targets for cross-entropy pretraining (FrameCrossEntropy) from an already trained model: per CTC output frame
// of each utterance, the blank or unit on the best CTC path for the utterance's labels. The search is the decoder's
// exact Viterbi over the plain CTC topology (CtcAlignment.ForcedPath, which also times beam-search results). The
// recording aligner's WindowedViterbi was the other candidate; it exists for hour-long recordings with untranscribed
// stretches (garbage states, separators, windowed commits) and would need all of that switched off here.
using DgTools.Decoding;
using DgTools.Inference;
using DgTools.Model;

namespace DgTools.Training;

public static class FrameTargetAligner
{
    /// <summary>
    /// Runs <paramref name="model"/> over <paramref name="source"/> (the inference engine: eval mode, length-sorted
    /// batches) and returns, in source order, each utterance's best CTC path (unit id or 0 = blank per output frame of
    /// <paramref name="model"/>), or null when its labels cannot be aligned (more units than output frames). Callers
    /// drop the null ones from a frame cross-entropy run: the trainer refuses utterances without targets in that phase.
    /// The model must have the output frame rate of the model to be trained (checked by the caller; the trainer only
    /// maps small length differences).
    /// </summary>
    public static IReadOnlyList<int[]?> Align(ConformerCtc model, IUtteranceSource source, int maxFramesPerBatch = 20_000)
    {
        var results = new int[]?[source.Count];
        using var engine = InferenceEngine.Over(model);
        engine.Posteriors(source, (i, utterance, posteriors) => results[i] = CtcAlignment.ForcedPath(posteriors, utterance.Labels),
            maxFramesPerBatch);
        return results;
    }
}
