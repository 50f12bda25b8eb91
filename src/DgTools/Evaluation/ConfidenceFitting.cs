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
/// <param name="CrossValidated">The new map's confidences, each fold scored by a map fitted without it.</param>
public sealed record CalibrationResult(ConfidenceCalibration Map, ConfidenceMeasures Before, ConfidenceMeasures CrossValidated);

public static class ConfidenceFitting
{
    public const int Folds = 2;

    /// <param name="balanceSets">Weigh every data set (<see cref="JudgedUtterance.Set"/>) the same.</param>
    /// <param name="prior">The map to shrink towards and how strongly (ConfidenceCalibration.FitTo); default: towards 0.</param>
    public static CalibrationResult Fit(IReadOnlyList<JudgedUtterance> utterances, string decoding, string source, bool balanceSets = false,
        MapPrior? prior = null)
    {
        ConfidenceCalibration FitOn(IReadOnlyList<JudgedUtterance> part)
        {
            var words = part.SelectMany(u => u.Words).Select(w => (w.Word.Evidence ?? Missing(w.Word), w.Correct)).ToList();
            return ConfidenceCalibration.FitTo(words, decoding, source, utterances.Count, balanceSets ? SetWeights(part) : null, prior: prior);
        }
        if (utterances.Sum(u => u.Words.Count) == 0) throw new DatasetError($"no words were recognised in {source}: nothing to fit a confidence map on");
        var map = FitOn(utterances);
        var before = Measure(utterances, (_, w) => w.Confidence);
        var foldMaps = Enumerable.Range(0, Folds).Select(f =>
        {
            var rest = utterances.Where((_, i) => i % Folds != f).ToList();
            return rest.Sum(u => u.Words.Count) == 0 ? map : FitOn(rest);
        }).ToList();
        var crossValidated = Measure(utterances, (i, w) => foldMaps[i % Folds].Probability(w.Evidence ?? Missing(w)));
        return new CalibrationResult(map, before, crossValidated);
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
