// The work behind `dgtools calibrate`: recognise a split of the data sets with the model as it is used (its stored
// decoding options), judge every word against the references, fit the confidence map (ConfidenceFitting) and return
// the model with the map stored. How general models get their map when they are published; autotrain does the same
// for the models it trains (Training/ConfidenceCalibrator).
using DgTools.Data;
using DgTools.Decoding;
using DgTools.Model;
using DgTools.Reporting;

namespace DgTools.Evaluation;

public static class ModelCalibration
{
    /// <param name="balanceSets">Weigh every data set the same in the fit (ConfidenceFitting).</param>
    public static (DgModel Model, CalibrationResult Result) Run(
        string path, DgModel model, IReadOnlyList<Utterance> utterances, EvaluationOptions options, string source, IRunReporter reporter,
        bool balanceSets = false)
    {
        var report = ModelEvaluation.Run([(path, model)], utterances, options, reporter);
        var judged = report.Models[0].Utterances
            .Select(u => JudgedUtterance.Of(u.Utterance.Reference, new Transcript(u.Utterance.Hypothesis, 0, u.Utterance.Words ?? [], u.Utterance.AudioSeconds),
                SetOf(u.Utterance.Id)))
            .ToList();
        var decoding = options.AdjustDecoding?.Invoke(ModelDecoding.ReadOptions(model, path)) ?? ModelDecoding.ReadOptions(model, path);
        var result = ConfidenceFitting.Fit(judged, ConfidenceCalibration.DecodingOf(decoding), source, balanceSets);
        return (ModelDecoding.WithCalibration(model, result.Map), result);
    }

    /// <summary>The data set of an utterance id ("set/stem"; "" when it has no set part).</summary>
    public static string SetOf(string id) => id.LastIndexOf('/') is var i and > 0 ? id[..i] : "";
}
