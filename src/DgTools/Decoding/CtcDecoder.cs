// The one entry point transcribe, evaluate and training validation use: picks greedy or beam search from the options,
// decodes a batch of utterances, and turns each word's evidence into its reported confidence (the model's
// ConfidenceCalibration when it has one for this way of decoding).
using DgTools.Language;

namespace DgTools.Decoding;

public sealed class CtcDecoder
{
    private readonly CtcGreedyDecoder _greedy;
    private readonly CtcBeamSearchDecoder? _beam;

    /// <param name="lm">The model's word language model; null decodes without one (beam search on acoustics only).</param>
    /// <param name="calibration">The model's confidence map; used only when fitted for this way of decoding.</param>
    public CtcDecoder(CtcUnits units, WordLanguageModel? lm, DecodingOptions options, ConfidenceCalibration? calibration = null)
    {
        options.Validate();
        Options = options;
        Units = units;
        Calibration = calibration is not null && calibration.AppliesTo(options) ? calibration : null;
        _greedy = new CtcGreedyDecoder(units);
        _beam = options.Greedy ? null : new CtcBeamSearchDecoder(units, lm, options);
    }

    public DecodingOptions Options { get; }
    public CtcUnits Units { get; }
    /// <summary>The confidence map in use; null: confidences are the uncalibrated acoustic ones.</summary>
    public ConfidenceCalibration? Calibration { get; }

    public Transcript Decode(CtcPosteriors posteriors) => Decode(posteriors, null);

    /// <param name="keywords">Words to boost (beam search only; greedy decoding has no word choices to sway).</param>
    public Transcript Decode(CtcPosteriors posteriors, KeywordBoost? keywords)
    {
        var transcript = _beam is null ? _greedy.Decode(posteriors) : _beam.Decode(posteriors, keywords);
        return Calibration is null ? transcript : Calibration.Apply(transcript);
    }

    /// <summary>Decodes every utterance, on up to <paramref name="maxParallelism"/> threads; results in input order.</summary>
    public IReadOnlyList<Transcript> DecodeBatch(IReadOnlyList<CtcPosteriors> batch, int maxParallelism = 1, KeywordBoost? keywords = null)
    {
        var results = new Transcript[batch.Count];
        if (maxParallelism <= 1 || batch.Count <= 1)
        {
            for (int i = 0; i < batch.Count; i++) results[i] = Decode(batch[i], keywords);
        }
        else
        {
            Parallel.For(0, batch.Count, new ParallelOptions { MaxDegreeOfParallelism = maxParallelism },
                i => results[i] = Decode(batch[i], keywords));
        }
        return results;
    }
}
