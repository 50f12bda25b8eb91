// Autotrain's last step: decode the validation split (and the general-domain guard set) the way the model will be
// used — its stored decoding options, beam search with its lexicon — judge every recognised word against the
// references, and fit the model's confidence map on them (ConfidenceFitting), shrunk towards the starting model's map:
// a few validation utterances cannot teach a map what the starting one learnt from thousands of words of several
// kinds, but they can move it where they agree. The same pass over the starting model gives the "before" of the
// run's summary.
using DgTools.Decoding;
using DgTools.Evaluation;
using DgTools.Inference;
using DgTools.Model;
using DgTools.Preparation;

namespace DgTools.Training;

/// <param name="Before">The starting model's confidences as it reports them, on the same utterances.</param>
/// <param name="After">The trained model's calibrated confidences, cross-validated (each fold scored by a map fitted
/// without it).</param>
/// <param name="PriorWords">How many words the starting model's map counted as in the fit (null: it had none).</param>
public sealed record ConfidenceSummary(ConfidenceMeasures Before, ConfidenceMeasures After, ConfidenceCalibration Map, string Source, double? PriorWords = null);

public static class ConfidenceCalibrator
{
    /// <summary>Every utterance of the sets decoded by <paramref name="network"/> with <paramref name="model"/>'s decoder,
    /// its words judged.</summary>
    public static IReadOnlyList<JudgedUtterance> Judge(ConformerCtc network, DgModel model, IEnumerable<CachedUtterances> sets, string? path = null)
    {
        var decoder = ModelDecoding.CreateDecoder(model, path: path);
        using var engine = InferenceEngine.Over(network, model.Metadata);
        var judged = new List<JudgedUtterance>();
        foreach (var set in sets)
        {
            var results = new JudgedUtterance[set.Count];
            engine.Posteriors(set, (i, _, posteriors) => results[i] = JudgedUtterance.Of(set.Examples[i].Text, decoder.Decode(posteriors)));
            judged.AddRange(results);
        }
        return judged;
    }

    /// <summary>How many words of evidence the starting model's map counts as when the trained model's map is fitted.
    /// A run's validation split is often a few utterances, and a map fitted on them and the general-domain guard set
    /// from scratch ranks the new domain's words worse than the starting map; 100 words keeps most of the starting
    /// map for a split of that size and lets a split of thousands of words decide (bench/confidence/prior.py;
    /// docs/models.md: it did better than 10, 1000 or a strength chosen by cross-validation).</summary>
    public const double StartingMapWords = 100;

    /// <summary>The starting model's map as the prior of the trained model's; null when it has none for this decoding.</summary>
    public static MapPrior? PriorOf(DgModel start, string decoding) =>
        ModelDecoding.ReadCalibration(start) is { } map && map.Decoding == decoding ? new MapPrior(map, StartingMapWords) : null;

    /// <summary>Fits <paramref name="trained"/>'s map on the sets, shrunk towards <paramref name="start"/>'s map
    /// (<see cref="PriorOf"/>), and measures <paramref name="start"/>'s confidences on
    /// them; returns the trained model with the map stored, or null when it recognised fewer than
    /// <paramref name="minWords"/> words there.</summary>
    public static (DgModel Model, ConfidenceSummary Summary)? Calibrate(
        ConformerCtc trainedNetwork, DgModel trained, ConformerCtc startNetwork, DgModel start, IReadOnlyList<CachedUtterances> sets,
        string source, int minWords)
    {
        var decoding = ConfidenceCalibration.DecodingOf(ModelDecoding.ReadOptions(trained));
        var after = Judge(trainedNetwork, trained, sets);
        if (after.Sum(u => u.Words.Count) < Math.Max(1, minWords)) return null;
        var prior = PriorOf(start, decoding);
        var fit = ConfidenceFitting.Fit(after, decoding, source, prior: prior);
        var before = ConfidenceFitting.Measure(Judge(startNetwork, start, sets), (_, w) => w.Confidence);
        return (ModelDecoding.WithCalibration(trained, fit.Map), new ConfidenceSummary(before, fit.CrossValidated, fit.Map, source, prior?.Words));
    }
}
