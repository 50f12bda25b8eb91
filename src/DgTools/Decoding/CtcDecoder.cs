// The one entry point transcribe, evaluate and training validation use: picks greedy or beam search from the options
// and decodes a batch of utterances.
using DgTools.Language;

namespace DgTools.Decoding;

public sealed class CtcDecoder
{
    private readonly CtcGreedyDecoder _greedy;
    private readonly CtcBeamSearchDecoder? _beam;

    /// <param name="lm">The model's word language model; null decodes without one (beam search on acoustics only).</param>
    public CtcDecoder(CtcUnits units, WordLanguageModel? lm, DecodingOptions options)
    {
        options.Validate();
        Options = options;
        Units = units;
        _greedy = new CtcGreedyDecoder(units);
        _beam = options.Greedy ? null : new CtcBeamSearchDecoder(units, lm, options);
    }

    public DecodingOptions Options { get; }
    public CtcUnits Units { get; }

    public Transcript Decode(CtcPosteriors posteriors) => Decode(posteriors, null);

    /// <param name="keywords">Words to boost (beam search only; greedy decoding has no word choices to sway).</param>
    public Transcript Decode(CtcPosteriors posteriors, KeywordBoost? keywords) =>
        _beam is null ? _greedy.Decode(posteriors) : _beam.Decode(posteriors, keywords);

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
