// `dgtools suggest`: which untranscribed recordings to transcribe next. Every recording is recognised by the model;
// each recognised word contributes its expected error (1 − its calibrated confidence) and each likely
// out-of-vocabulary stretch (a word the beam spelled outside the lexicon) a bonus of one word. Recordings are then
// picked greedily by what they add to the picks so far: a word form already among the picks' uncertain words counts
// half as much each time it recurs (and an unknown stretch already picked counts nothing), so the list is not ten
// copies of one problem. Under an hours budget recordings compete by value per hour of audio; under a count, by value.
using DgTools.Decoding;

namespace DgTools.Suggestion;

public sealed record SuggestionOptions
{
    /// <summary>Stop when the picks hold this much audio (hours); null: no limit.</summary>
    public double? Hours { get; init; }
    /// <summary>Stop after this many picks; null: no limit.</summary>
    public int? Count { get; init; }
    /// <summary>Words below this confidence are "uncertain" in the report and count for diversity.</summary>
    public double UncertainBelow { get; init; } = 0.5;
    /// <summary>What each earlier pick of the same uncertain word form leaves of its value.</summary>
    public double RepeatDiscount { get; init; } = 0.5;
    /// <summary>Value of a likely out-of-vocabulary stretch, in expected wrong words.</summary>
    public double UnknownStretchValue { get; init; } = 1.0;
}

/// <summary>One recording as the model heard it.</summary>
public sealed record RecognizedRecording(string AudioPath, double Seconds, Transcript Transcript);

/// <param name="Rank">1 = transcribe first.</param>
/// <param name="Value">What the pick added (expected wrong words, after the diversity discount, plus unknown stretches).</param>
/// <param name="ExpectedErrors">Σ (1 − confidence) over its words, before any discount.</param>
/// <param name="UnknownStretches">Words the beam spelled outside the model's lexicon.</param>
/// <param name="UncertainWords">Its words below the uncertainty threshold, least sure first.</param>
/// <param name="Overlap">Its uncertain word forms that earlier picks already had.</param>
public sealed record Suggestion(
    int Rank, RecognizedRecording Recording, double Value, double ExpectedErrors, IReadOnlyList<string> UnknownStretches,
    IReadOnlyList<WordTiming> UncertainWords, IReadOnlyList<string> Overlap)
{
    public string Why()
    {
        var t = Recording.Transcript;
        var parts = new List<string>
        {
            t.Words.Count == 0
                ? "the model recognised no word in it"
                : $"expected {ExpectedErrors:0.0} wrong of {t.Words.Count} recognised words (mean confidence {t.Confidence:0.00})",
        };
        if (UnknownStretches.Count > 0) parts.Add($"likely unknown words: {string.Join(", ", UnknownStretches.Select(w => $"'{w}'"))}");
        var fresh = UncertainWords.Where(w => !Overlap.Contains(w.Word.ToLowerInvariant())).Take(4).ToList();
        if (fresh.Count > 0) parts.Add($"unsure of {string.Join(", ", fresh.Select(w => $"'{w.Word}' ({w.Confidence:0.00})"))}");
        if (Overlap.Count > 0) parts.Add($"discounted: earlier picks already cover {string.Join(", ", Overlap.Take(4).Select(w => $"'{w}'"))}");
        return string.Join("; ", parts);
    }
}

public static class RecordingSuggester
{
    public static IReadOnlyList<Suggestion> Rank(IReadOnlyList<RecognizedRecording> recordings, SuggestionOptions options)
    {
        var remaining = Enumerable.Range(0, recordings.Count).ToList();
        var seenUncertain = new Dictionary<string, int>(StringComparer.Ordinal);
        var seenUnknown = new HashSet<string>(StringComparer.Ordinal);
        var picks = new List<Suggestion>();
        double hours = 0;
        while (remaining.Count > 0 && (options.Count is not { } n || picks.Count < n))
        {
            int best = -1;
            double bestScore = double.NegativeInfinity, bestValue = 0;
            foreach (var i in remaining)
            {
                var r = recordings[i];
                double value = Value(r, seenUncertain, seenUnknown, options);
                double score = options.Hours is null ? value : value / Math.Max(r.Seconds / 3600, 1e-9);
                // Ties (e.g. nothing recognised anywhere) go to the shorter recording, then the path: deterministic.
                if (score > bestScore || (score == bestScore && best >= 0 && (r.Seconds, r.AudioPath).CompareTo((recordings[best].Seconds, recordings[best].AudioPath)) < 0))
                {
                    best = i;
                    bestScore = score;
                    bestValue = value;
                }
            }
            var pick = recordings[best];
            if (options.Hours is { } budget && picks.Count > 0 && hours + pick.Seconds / 3600 > budget)
            {
                remaining.Remove(best); // too long for what is left of the budget; a shorter one may still fit
                continue;
            }
            remaining.Remove(best);
            hours += pick.Seconds / 3600;
            var words = pick.Transcript.Words;
            var unknown = words.Where(w => w.Evidence?.InVocabulary == false).Select(w => w.Word).Distinct(StringComparer.Ordinal).ToList();
            var uncertain = words.Where(w => w.Confidence < options.UncertainBelow).OrderBy(w => w.Confidence).ToList();
            var overlap = uncertain.Select(w => w.Word.ToLowerInvariant()).Where(seenUncertain.ContainsKey).Distinct(StringComparer.Ordinal).ToList();
            picks.Add(new Suggestion(picks.Count + 1, pick, bestValue, words.Sum(w => 1 - w.Confidence), unknown, uncertain, overlap));
            foreach (var w in uncertain) seenUncertain[w.Word.ToLowerInvariant()] = seenUncertain.GetValueOrDefault(w.Word.ToLowerInvariant()) + 1;
            foreach (var u in unknown) seenUnknown.Add(u);
            if (options.Hours is { } limit && hours >= limit) break;
        }
        return picks;
    }

    /// <summary>What transcribing the recording would add, given the uncertain word forms and unknown stretches already picked.</summary>
    private static double Value(RecognizedRecording r, IReadOnlyDictionary<string, int> seenUncertain, IReadOnlySet<string> seenUnknown, SuggestionOptions o)
    {
        double value = 0;
        var counted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var w in r.Transcript.Words)
        {
            double error = 1 - w.Confidence;
            var form = w.Word.ToLowerInvariant();
            if (w.Confidence < o.UncertainBelow) error *= Math.Pow(o.RepeatDiscount, seenUncertain.GetValueOrDefault(form));
            value += error;
            if (w.Evidence?.InVocabulary == false && !seenUnknown.Contains(w.Word) && counted.Add(w.Word)) value += o.UnknownStretchValue;
        }
        return value;
    }
}
