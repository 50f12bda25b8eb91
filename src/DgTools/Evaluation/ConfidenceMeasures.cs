// How far word confidences can be trusted, measured against references: expected calibration error over 10 equal
// bins (does "0.8" mean right 80 % of the time?), AUROC of right against wrong words (do confidences rank them?),
// the share of words above thresholds with their accuracy (what a user routing words to review gets), and how well
// an utterance's confidence (the mean of its words') follows its word accuracy. A recognised word is right when the
// sclite alignment (WordErrorRate) marks it correct; substituted and inserted words are wrong.
using DgTools.Decoding;

namespace DgTools.Evaluation;

/// <summary>One recognised word: its confidence and whether it was right.</summary>
public readonly record struct JudgedWord(double Confidence, bool Correct);

/// <param name="Count">Words in the bin.</param>
/// <param name="MeanConfidence">Mean confidence of its words (NaN when empty).</param>
/// <param name="Accuracy">Share of them that were right (NaN when empty).</param>
public sealed record ReliabilityBin(double Low, double High, int Count, double MeanConfidence, double Accuracy);

/// <param name="Share">Share of all recognised words at or above the threshold.</param>
/// <param name="Accuracy">Share of those that were right (NaN when none).</param>
public sealed record ThresholdShare(double Threshold, double Share, double Accuracy);

/// <param name="Auroc">Null when every word is right or every word is wrong (nothing to rank).</param>
/// <param name="UtteranceCorrelation">Pearson correlation of utterance confidence with utterance word accuracy
/// (1 − WER, floored at 0); null when either is constant.</param>
/// <param name="UtteranceMeanAbsoluteError">Mean |utterance confidence − utterance word accuracy|.</param>
public sealed record ConfidenceMeasures(
    int Words, double Accuracy, double MeanConfidence, double Ece, double? Auroc,
    IReadOnlyList<ReliabilityBin> Bins, IReadOnlyList<ThresholdShare> Thresholds,
    double? UtteranceCorrelation, double UtteranceMeanAbsoluteError)
{
    public const int BinCount = 10;
    public static readonly double[] ReportedThresholds = [0.5, 0.7, 0.9];

    /// <summary>The words of one utterance, judged: the i-th recognised word is the i-th hypothesis word of the alignment.</summary>
    public static IReadOnlyList<(WordTiming Word, bool Correct)> Judge(Alignment alignment, IReadOnlyList<WordTiming> words)
    {
        var judged = new List<(WordTiming, bool)>(words.Count);
        int next = 0;
        foreach (var pair in alignment.Pairs)
        {
            if (pair.Hypothesis is null) continue;
            if (next >= words.Count) throw new ArgumentException("the alignment has more hypothesis words than the transcript");
            judged.Add((words[next++], pair.Operation == EditOperation.Correct));
        }
        if (next != words.Count) throw new ArgumentException($"the transcript has {words.Count} words, the alignment {next}");
        return judged;
    }

    /// <summary>The word (reference, recognised words) pairs judged by aligning the texts.</summary>
    public static IReadOnlyList<(WordTiming Word, bool Correct)> Judge(string reference, IReadOnlyList<WordTiming> words) =>
        Judge(WordErrorRate.AlignWords(reference, string.Join(' ', words.Select(w => w.Word))), words);

    /// <param name="utterances">Per utterance, its judged words and its word accuracy.</param>
    public static ConfidenceMeasures Compute(IReadOnlyList<(IReadOnlyList<JudgedWord> Words, double Accuracy)> utterances)
    {
        var words = utterances.SelectMany(u => u.Words).ToList();
        var bins = new List<ReliabilityBin>(BinCount);
        double ece = 0;
        for (int b = 0; b < BinCount; b++)
        {
            double low = b / (double)BinCount, high = (b + 1) / (double)BinCount;
            var inBin = words.Where(w => BinOf(w.Confidence) == b).ToList();
            double conf = inBin.Count == 0 ? double.NaN : inBin.Average(w => w.Confidence);
            double acc = inBin.Count == 0 ? double.NaN : inBin.Count(w => w.Correct) / (double)inBin.Count;
            if (inBin.Count > 0) ece += inBin.Count / (double)words.Count * Math.Abs(acc - conf);
            bins.Add(new ReliabilityBin(low, high, inBin.Count, conf, acc));
        }
        var thresholds = ReportedThresholds.Select(t =>
        {
            var above = words.Where(w => w.Confidence >= t).ToList();
            return new ThresholdShare(t, words.Count == 0 ? 0 : above.Count / (double)words.Count,
                above.Count == 0 ? double.NaN : above.Count(w => w.Correct) / (double)above.Count);
        }).ToList();
        var utteranceConfidence = utterances.Select(u => u.Words.Count == 0 ? 0 : u.Words.Average(w => w.Confidence)).ToArray();
        var utteranceAccuracy = utterances.Select(u => u.Accuracy).ToArray();
        return new ConfidenceMeasures(
            words.Count,
            words.Count == 0 ? double.NaN : words.Count(w => w.Correct) / (double)words.Count,
            words.Count == 0 ? double.NaN : words.Average(w => w.Confidence),
            ece,
            AreaUnderRoc(words),
            bins,
            thresholds,
            Pearson(utteranceConfidence, utteranceAccuracy),
            utterances.Count == 0 ? double.NaN : utteranceConfidence.Zip(utteranceAccuracy, (c, a) => Math.Abs(c - a)).Average());
    }

    public static int BinOf(double confidence) => Math.Clamp((int)Math.Floor(confidence * BinCount), 0, BinCount - 1);

    /// <summary>The probability that a random right word has a higher confidence than a random wrong one (ties count half).</summary>
    public static double? AreaUnderRoc(IReadOnlyList<JudgedWord> words)
    {
        int positives = words.Count(w => w.Correct), negatives = words.Count - positives;
        if (positives == 0 || negatives == 0) return null;
        // Mann–Whitney U from average ranks.
        var sorted = words.Select((w, i) => (w.Confidence, w.Correct)).OrderBy(x => x.Confidence).ToArray();
        double rankSum = 0;
        for (int i = 0; i < sorted.Length;)
        {
            int j = i;
            while (j < sorted.Length && sorted[j].Confidence == sorted[i].Confidence) j++;
            double rank = (i + 1 + j) / 2.0; // ranks i+1 .. j, averaged
            for (int k = i; k < j; k++) if (sorted[k].Correct) rankSum += rank;
            i = j;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    public static double? Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count < 2) return null;
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        if (sxx <= 0 || syy <= 0) return null;
        return sxy / Math.Sqrt(sxx * syy);
    }
}
