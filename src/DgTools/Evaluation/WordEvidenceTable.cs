// `evaluate --word-evidence FILE`: every recognised word of every model, judged right or wrong against its reference,
// with the evidence its confidence was computed from — one tab-separated row per word. For fitting or checking
// confidence maps outside dgtools (bench/confidence/transfer.py reads it).
using System.Globalization;
using System.Text;
using DgTools.Decoding;

namespace DgTools.Evaluation;

public static class WordEvidenceTable
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "model", "utterance", "word", "correct", "confidence", "acoustic", "weakest_unit", "hypotheses", "in_vocabulary",
        "units", "frames_per_unit", "neighbours", "utterance_acoustic", "lexicon_count", "language_model",
        "utterance_language_model", "agreement", "utterance_agreement", "utterance_words", "utterance_seconds", "utterance_accuracy", "heard",
    ];

    public static string Render(EvaluationReport report)
    {
        var sb = new StringBuilder(string.Join('\t', Columns)).Append('\n');
        static string N(double? v) => v is { } x ? x.ToString("G6", CultureInfo.InvariantCulture) : "";
        foreach (var model in report.Models)
        {
            foreach (var u in model.Utterances)
            {
                if (u.Utterance.Words is null) continue;
                foreach (var (w, correct) in ConfidenceMeasures.Judge(u.Words, u.Utterance.Words))
                {
                    var e = w.Evidence;
                    sb.AppendJoin('\t',
                        Clean(model.Path), Clean(u.Utterance.Id), Clean(w.Word), correct ? "1" : "0", N(w.Confidence), N(e?.Acoustic),
                        N(e?.WeakestUnit), N(e?.Hypotheses), e?.InVocabulary switch { true => "1", false => "0", null => "" },
                        N(e?.Units), N(e?.FramesPerUnit), N(e?.Neighbours), N(e?.Utterance), N(e?.LexiconCount), N(e?.LanguageModel),
                        N(e?.UtteranceLanguageModel), N(e?.Agreement), N(e?.UtteranceAgreement), N(u.Utterance.Words.Count),
                        N(u.Utterance.AudioSeconds), N(u.Words.Counts.Accuracy), Clean(e?.Heard ?? ""));
                    sb.Append('\n');
                }
            }
        }
        return sb.ToString();
    }

    private static string Clean(string text) => text.Replace('\t', ' ').Replace('\n', ' ');
}
