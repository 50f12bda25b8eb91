// `dgtools evaluate`: several models' hypotheses for the same utterances, scored side by side with the WordErrorRate
// module (sclite-compatible counts), plus real-time factor and the recall of the words training added. Rendered as a
// table (TextTable), JSON (ToJson) and a report directory (EvaluationReportWriter).
using System.Text;
using System.Text.Json;
using DgTools.Decoding;
using DgTools.Model;

namespace DgTools.Evaluation;

/// <summary>One utterance as one model heard it. Texts are normalised.</summary>
/// <param name="Words">The recognised words with their confidences (the hypothesis's words, in order); null when
/// unknown, and then no confidence is measured.</param>
public sealed record UtteranceHypothesis(string Id, string Reference, string Hypothesis, double AudioSeconds, IReadOnlyList<WordTiming>? Words = null);

/// <param name="Path">The model file, as the user named it.</param>
/// <param name="ProcessingSeconds">Wall-clock seconds to turn the audio into text (features, network, decoding).</param>
/// <param name="AddedWords">The model's <c>added_words</c>.</param>
/// <param name="History">The model's training history, for the training-curve plot.</param>
/// <param name="Calibration">The model's confidence map when its words' confidences came from one.</param>
public sealed record ModelHypotheses(
    string Path,
    IReadOnlyList<UtteranceHypothesis> Utterances,
    double ProcessingSeconds,
    IReadOnlyList<string> AddedWords,
    IReadOnlyList<HistoryPoint>? History = null,
    ConfidenceCalibration? Calibration = null);

/// <summary>One scored utterance.</summary>
public sealed record ScoredUtterance(UtteranceHypothesis Utterance, Alignment Words, ErrorCounts Characters);

/// <param name="AddedWordsRecall">Of the added words' occurrences in the references, the fraction recognised exactly;
/// null when no reference contains an added word.</param>
/// <param name="AddedWordRecall">Per added word that occurs: (hits, occurrences).</param>
/// <param name="Confidence">How the reported word confidences measure up; null when the words were not given.</param>
/// <param name="AcousticConfidence">The same for the uncalibrated acoustic confidences (equal to
/// <paramref name="Confidence"/>'s when the model has no map).</param>
public sealed record ModelScore(
    string Path,
    ErrorCounts Words,
    ErrorCounts Characters,
    double? AddedWordsRecall,
    double Rtf,
    IReadOnlyDictionary<string, (int Hits, int Occurrences)> AddedWordRecall,
    IReadOnlyList<ScoredUtterance> Utterances,
    IReadOnlyList<HistoryPoint> History,
    ConfidenceMeasures? Confidence = null,
    ConfidenceMeasures? AcousticConfidence = null,
    ConfidenceCalibration? Calibration = null)
{
    public double Wer => Words.Rate;
    public double Cer => Characters.Rate;
}

public sealed class EvaluationReport
{
    private EvaluationReport(IReadOnlyList<ModelScore> models, IReadOnlyList<string> addedWords, int utterances)
    {
        Models = models;
        AddedWords = addedWords;
        UtteranceCount = utterances;
    }

    public IReadOnlyList<ModelScore> Models { get; }
    /// <summary>The union of the models' added words, sorted.</summary>
    public IReadOnlyList<string> AddedWords { get; }
    public int UtteranceCount { get; }

    /// <summary>Scores every model; they must have been run on the same utterances (same ids, same order).</summary>
    public static EvaluationReport Compute(IReadOnlyList<ModelHypotheses> models)
    {
        if (models.Count == 0) throw new ArgumentException("no models to evaluate");
        var ids = models[0].Utterances.Select(u => u.Id).ToList();
        foreach (var m in models.Skip(1))
        {
            if (!m.Utterances.Select(u => u.Id).SequenceEqual(ids))
                throw new ArgumentException($"{m.Path} was evaluated on other utterances than {models[0].Path}");
        }
        var added = models.SelectMany(m => m.AddedWords).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var addedSet = added.ToHashSet(StringComparer.Ordinal);
        return new EvaluationReport(models.Select(m => Score(m, addedSet)).ToList(), added, ids.Count);
    }

    private static ModelScore Score(ModelHypotheses model, HashSet<string> added)
    {
        var scored = new List<ScoredUtterance>(model.Utterances.Count);
        var words = ErrorCounts.Zero;
        var characters = ErrorCounts.Zero;
        var perWord = new SortedDictionary<string, (int Hits, int Occurrences)>(StringComparer.Ordinal);
        foreach (var u in model.Utterances)
        {
            var w = WordErrorRate.AlignWords(u.Reference, u.Hypothesis);
            var c = WordErrorRate.AlignCharacters(u.Reference, u.Hypothesis).Counts;
            words += w.Counts;
            characters += c;
            scored.Add(new ScoredUtterance(u, w, c));
            foreach (var pair in w.Pairs)
            {
                if (pair.Reference is null || !added.Contains(pair.Reference)) continue;
                var (hits, occurrences) = perWord.GetValueOrDefault(pair.Reference);
                perWord[pair.Reference] = (hits + (pair.Operation == EditOperation.Correct ? 1 : 0), occurrences + 1);
            }
        }
        int totalOccurrences = perWord.Values.Sum(v => v.Occurrences);
        double? recall = totalOccurrences == 0 ? null : perWord.Values.Sum(v => v.Hits) / (double)totalOccurrences;
        double audio = model.Utterances.Sum(u => u.AudioSeconds);
        double rtf = audio > 0 ? model.ProcessingSeconds / audio : 0;
        var (confidence, acoustic) = MeasureConfidence(scored);
        return new ModelScore(model.Path, words, characters, recall, rtf, perWord, scored, model.History ?? [], confidence, acoustic, model.Calibration);
    }

    private static (ConfidenceMeasures?, ConfidenceMeasures?) MeasureConfidence(IReadOnlyList<ScoredUtterance> scored)
    {
        if (scored.Count == 0 || scored.Any(u => u.Utterance.Words is null)) return (null, null);
        var judged = scored.Select(u => (Words: ConfidenceMeasures.Judge(u.Words, u.Utterance.Words!), u.Words.Counts.Accuracy)).ToList();
        ConfidenceMeasures Measure(Func<WordTiming, double> confidence) => ConfidenceMeasures.Compute(judged
            .Select(u => ((IReadOnlyList<JudgedWord>)u.Words.Select(w => new JudgedWord(confidence(w.Word), w.Correct)).ToList(), u.Accuracy))
            .ToList());
        return (Measure(w => w.Confidence), Measure(w => w.Evidence?.Acoustic ?? w.Confidence));
    }

    /// <summary>The `--json` document. Rates and recall are fractions; recall is null when no added word occurs.</summary>
    /// <param name="perUtterance">Also every utterance: its reference and, per model (in the order of "models"), what
    /// the model heard and its word errors — the report directory's report.json has them.</param>
    public string ToJson(bool indented = false, bool perUtterance = false)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            w.WriteStartObject();
            w.WriteStartArray("models");
            foreach (var m in Models)
            {
                w.WriteStartObject();
                w.WriteString("path", m.Path);
                w.WriteNumber("wer", Math.Round(m.Wer, 6));
                w.WriteNumber("cer", Math.Round(m.Cer, 6));
                w.WriteNumber("words", m.Words.ReferenceLength);
                w.WriteNumber("substitutions", m.Words.Substitutions);
                w.WriteNumber("deletions", m.Words.Deletions);
                w.WriteNumber("insertions", m.Words.Insertions);
                if (m.AddedWordsRecall is { } r) w.WriteNumber("added_words_recall", Math.Round(r, 6));
                else w.WriteNull("added_words_recall");
                w.WriteNumber("rtf", Math.Round(m.Rtf, 6));
                if (m.Confidence is { } c)
                {
                    w.WriteBoolean("calibrated", m.Calibration is not null);
                    WriteConfidence(w, "confidence", c);
                    WriteConfidence(w, "acoustic_confidence", m.AcousticConfidence!);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("added_words");
            foreach (var word in AddedWords) w.WriteStringValue(word);
            w.WriteEndArray();
            w.WriteNumber("utterances", UtteranceCount);
            if (perUtterance)
            {
                w.WriteStartArray("utterance_results");
                for (int i = 0; i < UtteranceCount; i++)
                {
                    w.WriteStartObject();
                    w.WriteString("id", Models[0].Utterances[i].Utterance.Id);
                    w.WriteString("reference", Models[0].Utterances[i].Utterance.Reference);
                    w.WriteStartArray("hypotheses");
                    foreach (var m in Models) w.WriteStringValue(m.Utterances[i].Utterance.Hypothesis);
                    w.WriteEndArray();
                    w.WriteStartArray("word_errors");
                    foreach (var m in Models) w.WriteNumberValue(m.Utterances[i].Words.Counts.Errors);
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteConfidence(Utf8JsonWriter w, string name, ConfidenceMeasures c)
    {
        static void Number(Utf8JsonWriter w, string key, double? v)
        {
            if (v is { } x && double.IsFinite(x)) w.WriteNumber(key, Math.Round(x, 6));
            else w.WriteNull(key);
        }
        w.WriteStartObject(name);
        w.WriteNumber("words", c.Words);
        Number(w, "word_accuracy", c.Accuracy);
        Number(w, "mean_confidence", c.MeanConfidence);
        Number(w, "ece", c.Ece);
        Number(w, "auroc", c.Auroc);
        w.WriteStartArray("thresholds");
        foreach (var t in c.Thresholds)
        {
            w.WriteStartObject();
            Number(w, "threshold", t.Threshold);
            Number(w, "share", t.Share);
            Number(w, "accuracy", t.Accuracy);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("reliability");
        foreach (var b in c.Bins)
        {
            w.WriteStartObject();
            Number(w, "low", b.Low);
            Number(w, "high", b.High);
            w.WriteNumber("words", b.Count);
            Number(w, "mean_confidence", b.MeanConfidence);
            Number(w, "accuracy", b.Accuracy);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        Number(w, "utterance_correlation", c.UtteranceCorrelation);
        Number(w, "utterance_mean_abs_error", c.UtteranceMeanAbsoluteError);
        w.WriteEndObject();
    }

    /// <summary>The side-by-side table `evaluate` prints: one column per model.</summary>
    public string ToTable()
    {
        var rows = new List<(string Label, Func<ModelScore, string> Value)>
        {
            ("WER", m => Percent(m.Wer)),
            ("CER", m => Percent(m.Cer)),
            ("Reference words", m => m.Words.ReferenceLength.ToString()),
            ("Substitutions", m => m.Words.Substitutions.ToString()),
            ("Deletions", m => m.Words.Deletions.ToString()),
            ("Insertions", m => m.Words.Insertions.ToString()),
            ("Added-word recall", m => m.AddedWordsRecall is { } r ? Percent(r) : "n/a"),
            ("Real-time factor", m => m.Rtf.ToString("0.000")),
        };
        if (Models.Any(m => m.Confidence is not null))
        {
            rows.Add(("Confidence", m => m.Confidence is null ? "n/a" : m.Calibration is null ? "uncalibrated" : "calibrated"));
            rows.Add(("Confidence ECE", m => m.Confidence is { } c ? c.Ece.ToString("0.000") : "n/a"));
            rows.Add(("Confidence AUROC", m => m.Confidence?.Auroc is { } a ? a.ToString("0.000") : "n/a"));
            rows.Add(("Words ≥ 0.9 (accuracy)", m => m.Confidence is { } c ? ShareCell(c.Thresholds.Single(t => t.Threshold == 0.9)) : "n/a"));
            rows.Add(("Utterance conf. vs accuracy r", m => m.Confidence?.UtteranceCorrelation is { } r ? r.ToString("0.00") : "n/a"));
        }
        var headers = Models.Select(m => System.IO.Path.GetFileName(m.Path)).ToList();
        int labelWidth = Math.Max(rows.Max(r => r.Label.Length), "Model".Length);
        var widths = Models.Select((m, i) => Math.Max(headers[i].Length, rows.Max(r => r.Value(m).Length))).ToList();

        var sb = new StringBuilder();
        sb.Append("Model".PadRight(labelWidth));
        for (int i = 0; i < Models.Count; i++) sb.Append("  ").Append(headers[i].PadLeft(widths[i]));
        sb.Append('\n');
        foreach (var (label, value) in rows)
        {
            sb.Append(label.PadRight(labelWidth));
            for (int i = 0; i < Models.Count; i++) sb.Append("  ").Append(value(Models[i]).PadLeft(widths[i]));
            sb.Append('\n');
        }
        sb.Append($"{UtteranceCount} utterances");
        if (AddedWords.Count > 0)
        {
            var shown = string.Join(", ", AddedWords.Take(10)) + (AddedWords.Count > 10 ? ", …" : "");
            sb.Append($"; {AddedWords.Count} added words: {shown}");
        }
        sb.Append('\n');
        return sb.ToString();
    }

    internal static string Percent(double fraction) => (fraction * 100).ToString("0.0") + " %";

    internal static string ShareCell(ThresholdShare t) =>
        $"{Percent(t.Share)} ({(double.IsNaN(t.Accuracy) ? "n/a" : Percent(t.Accuracy))})";
}
