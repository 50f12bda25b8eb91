// Fitting a model's confidence map on utterances whose references are known (its validation split), with an honest
// estimate of how well the map will do: the words are split into folds by utterance, each fold is scored by a map
// fitted on the others, and the final map is fitted on all of them. Balanced, every data set weighs the same however
// many words it has: a general model's map is fitted on sets of different difficulty (bench/confidence/), and the
// easy validation set would otherwise outweigh the hard ones and teach the map its base rate.
using DgTools.Decoding;

namespace DgTools.Evaluation;

/// <summary>One utterance's recognised words, each judged right or wrong against the reference, and its word accuracy.</summary>
/// <param name="Set">The data set it comes from ("" when unknown).</param>
public sealed record JudgedUtterance(IReadOnlyList<(WordTiming Word, bool Correct)> Words, double Accuracy, string Set = "")
{
    public static JudgedUtterance Of(string reference, Transcript transcript, string set = "")
    {
        var alignment = WordErrorRate.AlignWords(reference, string.Join(' ', transcript.Words.Select(w => w.Word)));
        return new JudgedUtterance(ConfidenceMeasures.Judge(alignment, transcript.Words), alignment.Counts.Accuracy, set);
    }
}

/// <param name="Before">The confidences as the model reported them (its old map, or the acoustic ones).</param>
/// <param name="CrossValidated">The new map's confidences, each fold scored by a map fitted without it (with a prior,
/// at the strength the same folds chose, so a little optimistic).</param>
public sealed record CalibrationResult(ConfidenceCalibration Map, ConfidenceMeasures Before, ConfidenceMeasures CrossValidated)
{
    /// <summary>The strength (in words) the prior map was given; 0 when fitting from scratch won; null without a prior.</summary>
    public double? PriorWords { get; init; }
}

public static class ConfidenceFitting
{
    public const int Folds = 2;

    /// <summary>The strengths (in words, <see cref="MapPrior"/>) a prior map is tried with; 0: fitted from scratch.</summary>
    public static IReadOnlyList<double> PriorStrengths { get; } = [0, 10, 30, 100, 300, 1000];

    /// <param name="balanceSets">Weigh every data set (<see cref="JudgedUtterance.Set"/>) the same.</param>
    /// <param name="prior">A map to shrink towards (a custom-trained model's starting map). How strongly is chosen
    /// by the data: each of <see cref="PriorStrengths"/> is cross-validated over the folds, and the one whose held-out
    /// words are predicted best (log-loss) wins. Without it the weights are shrunk towards 0 only.</param>
    public static CalibrationResult Fit(IReadOnlyList<JudgedUtterance> utterances, string decoding, string source, bool balanceSets = false,
        ConfidenceCalibration? prior = null)
    {
        ConfidenceCalibration FitOn(IReadOnlyList<JudgedUtterance> part, MapPrior? shrink)
        {
            var words = part.SelectMany(u => u.Words).Select(w => (w.Word.Evidence ?? Missing(w.Word), w.Correct)).ToList();
            return ConfidenceCalibration.FitTo(words, decoding, source, utterances.Count, balanceSets ? SetWeights(part) : null, prior: shrink);
        }
        if (utterances.Sum(u => u.Words.Count) == 0) throw new DatasetError($"no words were recognised in {source}: nothing to fit a confidence map on");
        var before = Measure(utterances, (_, w) => w.Confidence);
        // Each fold's words scored by a map fitted on the other folds.
        Func<int, WordTiming, double> CrossValidate(MapPrior? shrink, ConfidenceCalibration whole)
        {
            var foldMaps = Enumerable.Range(0, Folds).Select(f =>
            {
                var rest = utterances.Where((_, i) => i % Folds != f).ToList();
                return rest.Sum(u => u.Words.Count) == 0 ? whole : FitOn(rest, shrink);
            }).ToList();
            return (i, w) => foldMaps[i % Folds].Probability(w.Evidence ?? Missing(w));
        }
        var candidates = (prior is null ? [0.0] : PriorStrengths).Select(strength =>
        {
            var shrink = strength > 0 ? new MapPrior(prior!, strength) : null;
            var map = FitOn(utterances, shrink);
            var scored = CrossValidate(shrink, map);
            double loss = utterances.SelectMany((u, i) => u.Words.Select(w => (P: scored(i, w.Word), w.Correct)))
                .Average(x => -Math.Log(Math.Clamp(x.Correct ? x.P : 1 - x.P, 1e-9, 1)));
            return (Strength: strength, Map: map, Scored: scored, Loss: loss);
        }).ToList();
        var best = candidates.MinBy(c => c.Loss);
        return new CalibrationResult(best.Map, before, Measure(utterances, best.Scored)) { PriorWords = prior is null ? null : best.Strength };
    }

    /// <summary>Per word (in order), the weight that gives every data set the same total; the weights average 1.</summary>
    public static double[] SetWeights(IReadOnlyList<JudgedUtterance> utterances)
    {
        var perSet = utterances.GroupBy(u => u.Set).ToDictionary(g => g.Key, g => g.Sum(u => u.Words.Count));
        int total = perSet.Values.Sum(), sets = perSet.Values.Count(n => n > 0);
        return utterances.SelectMany(u => u.Words.Select(_ => total / (double)(sets * perSet[u.Set]))).ToArray();
    }

    public static ConfidenceMeasures Measure(IReadOnlyList<JudgedUtterance> utterances, Func<int, WordTiming, double> confidence) =>
        ConfidenceMeasures.Compute(utterances.Select((u, i) =>
            ((IReadOnlyList<JudgedWord>)u.Words.Select(w => new JudgedWord(confidence(i, w.Word), w.Correct)).ToList(), u.Accuracy)).ToList());

    private static WordEvidence Missing(WordTiming w) => throw new ArgumentException($"the word '{w.Word}' carries no evidence to calibrate");

    /// <summary>One line: ECE and AUROC.</summary>
    public static string Describe(ConfidenceMeasures m) =>
        $"ECE {m.Ece:0.000}, AUROC {(m.Auroc is { } a ? a.ToString("0.000") : "n/a")} on {m.Words:N0} words ({(double.IsFinite(m.Accuracy) ? EvaluationReport.Percent(m.Accuracy) : "n/a")} right)";
}
