// `dgtools suggest`: which untranscribed recordings to transcribe next. Every recording is recognised by the model.
// A transcript teaches two things. First, the words the model is unsure of (confidence below UncertainBelow) or could
// only spell outside its lexicon: they come in stretches — runs of such words, which is how a word the model does not
// know comes out ("metoprolol" as "met for all") — and each stretch (of at least MinStretchLetters letters) is worth 1,
// counted only as far as it is new: times 1 − its resemblance to the most similar stretch already picked. Resemblance
// is measured on what the acoustics alone spelled over the stretch (WordEvidence.Heard — "metoprolal", "metaprolol" —
// which stays alike across speakers when the words the language model forced onto it do not): the share of the
// shorter spelling's letter triples that the other has. So ten recordings of one problem, or of one digit, are not
// picked ten times, and a recording is not preferred for being garbled worse. Second, the sentence around them: the
// custom language model learns the domain's word sequences from the transcripts ("is … covered by my insurance"), which
// the model may hear well. So every word pair of the recording's frame — its words in order with each stretch as one
// placeholder, from its start to its end mark — that no earlier pick's frame holds is worth PairValue; the placeholder
// makes one frame said with different unknown words the same pairs. Transcribing costs the recording's seconds plus a
// fixed SecondsPerRecording (finding, playing and saving it), so recordings compete by value per second of that cost
// and a sub-second clip is not cheap for being short. Picks are made greedily, each pick updating what is new; ties go
// to more expected wrong words per second.
using DgTools.Decoding;

namespace DgTools.Suggestion;

public sealed record SuggestionOptions
{
    /// <summary>Stop when the picks hold this much audio (hours); null: no limit.</summary>
    public double? Hours { get; init; }
    /// <summary>Stop after this many picks; null: no limit.</summary>
    public int? Count { get; init; }
    /// <summary>Words below this confidence are uncertain: runs of them (and of words outside the lexicon) are the
    /// stretches a recording is valued by.</summary>
    public double UncertainBelow { get; init; } = 0.5;
    /// <summary>Stretches spelled with fewer letters (a lone unsure "a") count for nothing.</summary>
    public int MinStretchLetters { get; init; } = 3;
    /// <summary>What transcribing one recording costs beyond its duration, in seconds of audio (a half-second clip is
    /// not ten times as cheap to transcribe as a five-second one).</summary>
    public double SecondsPerRecording { get; init; } = 2.0;
    /// <summary>What a word pair of a recording's frame that no earlier pick's frame holds is worth, in stretches: a
    /// sentence of eight new pairs is worth two new stretches.</summary>
    public double PairValue { get; init; } = 0.25;
    /// <summary>An earlier stretch at least this similar is named in the report as what discounted a pick.</summary>
    public double ReportSimilarity { get; init; } = 0.5;
}

/// <summary>One recording as the model heard it.</summary>
public sealed record RecognizedRecording(string AudioPath, double Seconds, Transcript Transcript);

/// <summary>A run of consecutive uncertain or unknown words of one recording.</summary>
/// <param name="Spelling">What the acoustics spelled over its words (their words where that is unknown), run
/// together in lower case: what resemblance is measured on.</param>
/// <param name="ExpectedErrors">Σ (1 − confidence) over its words.</param>
/// <param name="Unknown">Whether one of its words is outside the model's lexicon.</param>
public sealed record Stretch(string Text, string Spelling, double ExpectedErrors, bool Unknown);

/// <param name="Rank">1 = transcribe first.</param>
/// <param name="Value">What the pick added: its stretches, each counted as far as it is new, and its new word pairs.</param>
/// <param name="ExpectedErrors">Σ (1 − confidence) over its words, before any discount.</param>
/// <param name="UnknownStretches">Words the beam spelled outside the model's lexicon.</param>
/// <param name="UncertainWords">Its words below the uncertainty threshold, least sure first.</param>
/// <param name="Overlap">Earlier picks' stretches that its stretches resemble (resemblance ≥ ReportSimilarity).</param>
/// <param name="NewStretches">The part of Value its stretches make up.</param>
/// <param name="NewPairs">Its frame's word pairs that no earlier pick's frame holds.</param>
/// <param name="Cost">Seconds of transcribing: its duration plus SecondsPerRecording.</param>
public sealed record Suggestion(
    int Rank, RecognizedRecording Recording, double Value, double ExpectedErrors, IReadOnlyList<string> UnknownStretches,
    IReadOnlyList<WordTiming> UncertainWords, IReadOnlyList<string> Overlap, double NewStretches, int NewPairs, double Cost)
{
    /// <summary>Value per second of transcribing: what the ranking compares.</summary>
    public double ValuePerSecond => Value / Cost;

    public string Why()
    {
        var t = Recording.Transcript;
        var parts = new List<string>
        {
            t.Words.Count == 0
                ? "the model recognised no word in it"
                : $"{NewStretches:0.0} new unsure stretches and {NewPairs} new word pairs ({ValuePerSecond:0.00} per second); expected {ExpectedErrors:0.0} wrong of {t.Words.Count} recognised words (mean confidence {t.Confidence:0.00})",
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
        var stretches = recordings.Select(r => StretchesOf(r.Transcript, options).Where(s => s.Spelling.Length >= options.MinStretchLetters).ToList()).ToList();
        var frames = recordings.Select(r => FramePairs(r.Transcript, options)).ToList();
        var remaining = Enumerable.Range(0, recordings.Count).ToList();
        var picked = new List<Stretch>();
        var pickedPairs = new HashSet<string>(StringComparer.Ordinal);
        var picks = new List<Suggestion>();
        double hours = 0;
        while (remaining.Count > 0 && (options.Count is not { } n || picks.Count < n))
        {
            int best = -1;
            (double PerSecond, double Errors, double Seconds, string Path) bestKey = default;
            (double Stretches, int Pairs) bestNew = default;
            foreach (var i in remaining)
            {
                var r = recordings[i];
                double cost = r.Seconds + options.SecondsPerRecording;
                var (newStretches, newPairs) = (NewStretches(stretches[i], picked), frames[i].Count(p => !pickedPairs.Contains(p)));
                double value = newStretches + options.PairValue * newPairs;
                var key = (value / cost, r.Transcript.Words.Sum(w => 1 - w.Confidence) / cost, -r.Seconds, r.AudioPath);
                // Ties go to more expected wrong words per second, then the shorter recording, then the path.
                if (best < 0 || Better(key, bestKey))
                {
                    best = i;
                    bestKey = key;
                    bestNew = (newStretches, newPairs);
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
                .SelectMany(s => picked.Where(p => Resemblance(s.Spelling, p.Spelling) >= options.ReportSimilarity)
                    .OrderByDescending(p => Resemblance(s.Spelling, p.Spelling)).Take(1))
                .Select(p => p.Text).Distinct(StringComparer.Ordinal).ToList();
            picks.Add(new Suggestion(picks.Count + 1, pick, bestNew.Stretches + options.PairValue * bestNew.Pairs, words.Sum(w => 1 - w.Confidence),
                unknown, uncertain, overlap, bestNew.Stretches, bestNew.Pairs, pick.Seconds + options.SecondsPerRecording));
            picked.AddRange(stretches[best]);
            pickedPairs.UnionWith(frames[best]);
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
            result.Add(new Stretch(string.Join(' ', run.Select(w => w.Word)),
                string.Concat(run.Select(w => (w.Evidence?.Heard ?? w.Word).ToLowerInvariant()).SelectMany(t => t.Where(char.IsLetterOrDigit))),
                run.Sum(w => 1 - w.Confidence), run.Any(w => w.Evidence?.InVocabulary == false)));
            run.Clear();
        }
        foreach (var w in transcript.Words)
        {
            if (IsUnsure(w, options)) run.Add(w);
            else End();
        }
        End();
        return result;
    }

    /// <summary>A word a stretch is made of: below the confidence threshold, or spelled outside the lexicon.</summary>
    private static bool IsUnsure(WordTiming w, SuggestionOptions options) =>
        w.Confidence < options.UncertainBelow || w.Evidence?.InVocabulary == false;

    /// <summary>The word pairs of the recording's frame: its words in order (lower case), each stretch of uncertain or
    /// unknown words as one placeholder ("…"), between a start and an end mark; "is lisinopril covered" heard with
    /// "lisinopril" unsure gives "<s> is", "is …", "… covered", "covered </s>".</summary>
    public static IReadOnlySet<string> FramePairs(Transcript transcript, SuggestionOptions options)
    {
        var frame = new List<string> { "<s>" };
        foreach (var w in transcript.Words)
        {
            if (!IsUnsure(w, options)) frame.Add(w.Word.ToLowerInvariant());
            else if (frame[^1] != "…") frame.Add("…");
        }
        frame.Add("</s>");
        var pairs = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 1; i < frame.Count; i++) pairs.Add(frame[i - 1] + " " + frame[i]);
        return pairs;
    }

    /// <summary>What the recording's stretches would add, given the stretches already picked: each times how new it
    /// is.</summary>
    private static double NewStretches(IReadOnlyList<Stretch> stretches, IReadOnlyList<Stretch> picked) =>
        stretches.Sum(s => 1 - (picked.Count == 0 ? 0 : picked.Max(p => Resemblance(s.Spelling, p.Spelling))));

    private static bool Better((double, double, double, string) a, (double, double, double, string) b) =>
        a.Item1 != b.Item1 ? a.Item1 > b.Item1
        : a.Item2 != b.Item2 ? a.Item2 > b.Item2
        : a.Item3 != b.Item3 ? a.Item3 > b.Item3
        : string.CompareOrdinal(a.Item4, b.Item4) < 0;

    /// <summary>The share of the shorter spelling's letter triples (with its start and end marked) that the other
    /// spelling also has: 1 for equal spellings, nearly 1 when one lies inside the other, 0 when they share no three
    /// letters in a row.</summary>
    public static double Resemblance(string a, string b)
    {
        var (short_, long_) = a.Length <= b.Length ? (a, b) : (b, a);
        if (short_.Length == 0) return long_.Length == 0 ? 1 : 0;
        var mine = Triples(short_);
        var other = Triples(long_);
        return mine.Count(other.Contains) / (double)mine.Count;
    }

    private static HashSet<string> Triples(string s)
    {
        var padded = "^" + s + "$";
        var set = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i + 3 <= padded.Length; i++) set.Add(padded.Substring(i, 3));
        return set;
    }
}
