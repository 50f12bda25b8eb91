// `dgtools suggest`: which untranscribed recordings to transcribe next. Every recording is recognised by the model.
// Its words the model is unsure of (confidence below UncertainBelow) or could only spell outside its lexicon come in
// stretches — runs of such words, which is how a word the model does not know comes out ("metoprolol" heard as
// "met for all"). A recording's value is its expected wrong words (Σ 1 − confidence) plus a bonus for each stretch
// that holds an unknown word, where each stretch counts only as far as it is new: times 1 − its spelling's
// similarity to the most similar stretch already picked (so ten recordings of one problem, or of one digit heard the
// same way, are not picked ten times). Transcribing costs by the second, so recordings compete by value per second of
// audio (at least MinSeconds), picked greedily, each pick updating what is new.
using DgTools.Decoding;

namespace DgTools.Suggestion;

public sealed record SuggestionOptions
{
    /// <summary>Stop when the picks hold this much audio (hours); null: no limit.</summary>
    public double? Hours { get; init; }
    /// <summary>Stop after this many picks; null: no limit.</summary>
    public int? Count { get; init; }
    /// <summary>Words below this confidence are uncertain: they form the stretches diversity is judged on.</summary>
    public double UncertainBelow { get; init; } = 0.5;
    /// <summary>Value of a stretch holding a word outside the lexicon, in expected wrong words.</summary>
    public double UnknownStretchValue { get; init; } = 1.0;
    /// <summary>Shorter recordings are valued as if they lasted this long (a half-second clip is not ten times as
    /// cheap to transcribe as a five-second one).</summary>
    public double MinSeconds { get; init; } = 1.0;
    /// <summary>An earlier stretch at least this similar is named in the report as what discounted a pick.</summary>
    public double ReportSimilarity { get; init; } = 0.5;
}

/// <summary>One recording as the model heard it.</summary>
public sealed record RecognizedRecording(string AudioPath, double Seconds, Transcript Transcript);

/// <summary>A run of consecutive uncertain or unknown words of one recording.</summary>
/// <param name="Spelling">Its words run together, lower case (what similarity is measured on).</param>
/// <param name="ExpectedErrors">Σ (1 − confidence) over its words.</param>
/// <param name="Unknown">Whether one of its words is outside the model's lexicon.</param>
public sealed record Stretch(string Text, string Spelling, double ExpectedErrors, bool Unknown);

/// <param name="Rank">1 = transcribe first.</param>
/// <param name="Value">What the pick added (expected wrong words, stretches counted as far as they are new, plus
/// unknown stretches).</param>
/// <param name="ExpectedErrors">Σ (1 − confidence) over its words, before any discount.</param>
/// <param name="UnknownStretches">Words the beam spelled outside the model's lexicon.</param>
/// <param name="UncertainWords">Its words below the uncertainty threshold, least sure first.</param>
/// <param name="Overlap">Earlier picks' stretches that its stretches resemble (similarity ≥ ReportSimilarity).</param>
public sealed record Suggestion(
    int Rank, RecognizedRecording Recording, double Value, double ExpectedErrors, IReadOnlyList<string> UnknownStretches,
    IReadOnlyList<WordTiming> UncertainWords, IReadOnlyList<string> Overlap, double MinSeconds = 1)
{
    /// <summary>Value per second of audio: what the ranking compares.</summary>
    public double ValuePerSecond => Value / Math.Max(Recording.Seconds, MinSeconds);

    public string Why()
    {
        var t = Recording.Transcript;
        var parts = new List<string>
        {
            t.Words.Count == 0
                ? "the model recognised no word in it"
                : $"expected {ExpectedErrors:0.0} wrong of {t.Words.Count} recognised words (mean confidence {t.Confidence:0.00}), {ValuePerSecond:0.00} per second",
        };
        if (UnknownStretches.Count > 0) parts.Add($"likely unknown words: {string.Join(", ", UnknownStretches.Select(w => $"'{w}'"))}");
        if (UncertainWords.Count > 0) parts.Add($"unsure of {string.Join(", ", UncertainWords.Take(4).Select(w => $"'{w.Word}' ({w.Confidence:0.00})"))}");
        if (Overlap.Count > 0) parts.Add($"discounted: resembles earlier picks' {string.Join(", ", Overlap.Take(4).Select(w => $"'{w}'"))}");
        return string.Join("; ", parts);
    }
}

public static class RecordingSuggester
{
    public static IReadOnlyList<Suggestion> Rank(IReadOnlyList<RecognizedRecording> recordings, SuggestionOptions options)
    {
        var stretches = recordings.Select(r => StretchesOf(r.Transcript, options)).ToList();
        var remaining = Enumerable.Range(0, recordings.Count).ToList();
        var picked = new List<Stretch>();
        var picks = new List<Suggestion>();
        double hours = 0;
        while (remaining.Count > 0 && (options.Count is not { } n || picks.Count < n))
        {
            int best = -1;
            double bestScore = double.NegativeInfinity, bestValue = 0;
            foreach (var i in remaining)
            {
                var r = recordings[i];
                double value = Value(r.Transcript, stretches[i], picked, options);
                double score = value / Math.Max(r.Seconds, options.MinSeconds);
                // Ties (e.g. nothing recognised anywhere) go to the shorter recording, then the path: deterministic.
                if (score > bestScore || (score == bestScore && best >= 0 && (r.Seconds, r.AudioPath).CompareTo((recordings[best].Seconds, recordings[best].AudioPath)) < 0))
                {
                    best = i;
                    bestScore = score;
                    bestValue = value;
                }
            }
            var pick = recordings[best];
            remaining.Remove(best);
            if (options.Hours is { } budget && picks.Count > 0 && hours + pick.Seconds / 3600 > budget)
                continue; // too long for what is left of the budget; a shorter one may still fit
            hours += pick.Seconds / 3600;
            var words = pick.Transcript.Words;
            var unknown = words.Where(w => w.Evidence?.InVocabulary == false).Select(w => w.Word).Distinct(StringComparer.Ordinal).ToList();
            var uncertain = words.Where(w => w.Confidence < options.UncertainBelow).OrderBy(w => w.Confidence).ToList();
            var overlap = stretches[best]
                .SelectMany(s => picked.Where(p => CtcAlignment.Similarity(s.Spelling, p.Spelling) >= options.ReportSimilarity)
                    .OrderByDescending(p => CtcAlignment.Similarity(s.Spelling, p.Spelling)).Take(1))
                .Select(p => p.Text).Distinct(StringComparer.Ordinal).ToList();
            picks.Add(new Suggestion(picks.Count + 1, pick, bestValue, words.Sum(w => 1 - w.Confidence), unknown, uncertain, overlap, options.MinSeconds));
            picked.AddRange(stretches[best]);
            if (options.Hours is { } limit && hours >= limit) break;
        }
        return picks;
    }

    /// <summary>The runs of consecutive uncertain or unknown words.</summary>
    public static IReadOnlyList<Stretch> StretchesOf(Transcript transcript, SuggestionOptions options)
    {
        var result = new List<Stretch>();
        var run = new List<WordTiming>();
        void End()
        {
            if (run.Count == 0) return;
            result.Add(new Stretch(string.Join(' ', run.Select(w => w.Word)), string.Concat(run.Select(w => w.Word.ToLowerInvariant())),
                run.Sum(w => 1 - w.Confidence), run.Any(w => w.Evidence?.InVocabulary == false)));
            run.Clear();
        }
        foreach (var w in transcript.Words)
        {
            if (w.Confidence < options.UncertainBelow || w.Evidence?.InVocabulary == false) run.Add(w);
            else End();
        }
        End();
        return result;
    }

    /// <summary>What transcribing the recording would add, given the stretches already picked: the expected wrong
    /// words outside its stretches, plus each stretch (its expected wrong words and, when it holds an unknown word,
    /// the bonus) times how new it is.</summary>
    private static double Value(Transcript transcript, IReadOnlyList<Stretch> stretches, IReadOnlyList<Stretch> picked, SuggestionOptions o)
    {
        double value = transcript.Words
            .Where(w => !(w.Confidence < o.UncertainBelow || w.Evidence?.InVocabulary == false))
            .Sum(w => 1 - w.Confidence);
        foreach (var s in stretches)
        {
            double similar = picked.Count == 0 ? 0 : picked.Max(p => CtcAlignment.Similarity(s.Spelling, p.Spelling));
            value += (1 - similar) * (s.ExpectedErrors + (s.Unknown ? o.UnknownStretchValue : 0));
        }
        return value;
    }
}
