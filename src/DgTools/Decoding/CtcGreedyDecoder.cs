namespace DgTools.Decoding;

/// <summary>The most likely unit in every frame, repeats merged, blanks dropped. No language model.</summary>
public sealed class CtcGreedyDecoder(CtcUnits units)
{
    public Transcript Decode(CtcPosteriors posteriors)
    {
        if (posteriors.Units != units.Count)
            throw new ArgumentException($"posteriors have {posteriors.Units} units, the model has {units.Count}");
        return CtcAlignment.ToTranscript(posteriors, CtcAlignment.BestPath(posteriors), units);
    }
}
