// From a decoded unit sequence back to time: which frame each unit was emitted in (the greedy path, or the best CTC
// path through the posteriors for a given sequence), then words with start/end times and confidences.
//
// A word's acoustic confidence is the geometric mean, over its units, of each unit's peak posterior probability in the
// frames it was emitted in. It lies in [0, 1], is high only when every unit was clearly heard, and drops on flat
// posteriors (noise, mumbling) or when the language model chose a unit the acoustics found unlikely. It is one part of
// the word's WordEvidence; ConfidenceCalibration makes the reported confidence from all of it.
namespace DgTools.Decoding;

public static class CtcAlignment
{
    /// <summary>The most likely unit in every frame.</summary>
    public static int[] BestPath(CtcPosteriors posteriors)
    {
        var path = new int[posteriors.Frames];
        for (int t = 0; t < posteriors.Frames; t++)
        {
            var row = posteriors.Row(t);
            int best = 0;
            for (int u = 1; u < row.Length; u++) if (row[u] > row[best]) best = u;
            path[t] = best;
        }
        return path;
    }

    /// <summary>
    /// The most likely frame-by-frame path (Viterbi over the CTC topology) that spells exactly <paramref name="units"/>;
    /// null when the utterance has too few frames for it.
    /// </summary>
    public static int[]? ForcedPath(CtcPosteriors posteriors, IReadOnlyList<int> units)
    {
        int frames = posteriors.Frames, states = 2 * units.Count + 1;
        if (frames == 0) return units.Count == 0 ? [] : null;
        int StateUnit(int s) => (s & 1) == 0 ? CtcUnits.Blank : units[s >> 1];

        var score = new float[states];
        var next = new float[states];
        var back = new byte[frames * states]; // 0: stay, 1: from s-1, 2: from s-2
        Array.Fill(score, float.NegativeInfinity);
        score[0] = posteriors[0, CtcUnits.Blank];
        if (states > 1) score[1] = posteriors[0, StateUnit(1)];

        for (int t = 1; t < frames; t++)
        {
            var row = posteriors.Row(t);
            for (int s = 0; s < states; s++)
            {
                float best = score[s];
                byte from = 0;
                if (s >= 1 && score[s - 1] > best) { best = score[s - 1]; from = 1; }
                if (s >= 2 && (s & 1) == 1 && StateUnit(s) != StateUnit(s - 2) && score[s - 2] > best) { best = score[s - 2]; from = 2; }
                next[s] = best + row[StateUnit(s)];
                back[t * states + s] = from;
            }
            (score, next) = (next, score);
        }

        int state = states - 1;
        if (states > 1 && score[states - 2] > score[state]) state = states - 2;
        if (float.IsNegativeInfinity(score[state])) return null;
        var path = new int[frames];
        for (int t = frames - 1; t >= 0; t--)
        {
            path[t] = StateUnit(state);
            state -= back[t * states + state];
        }
        return path;
    }

    /// <summary>The units a path spells (repeats merged, blanks removed).</summary>
    public static List<int> Collapse(IReadOnlyList<int> path)
    {
        var units = new List<int>();
        int previous = CtcUnits.Blank;
        foreach (var u in path)
        {
            if (u != CtcUnits.Blank && u != previous) units.Add(u);
            previous = u;
        }
        return units;
    }

    /// <summary>Each word's evidence with what its neighbours and the whole utterance say (WordEvidence.Neighbours,
    /// .Utterance, .UtteranceWords).</summary>
    public static List<WordTiming> WithContext(IReadOnlyList<WordTiming> words)
    {
        if (words.Count == 0) return [];
        double Acoustic(int i) => words[i].Evidence?.Acoustic ?? words[i].Confidence;
        double utterance = Math.Exp(Enumerable.Range(0, words.Count).Average(i => Math.Log(Math.Max(Acoustic(i), 1e-6))));
        return words.Select((w, i) =>
        {
            if (w.Evidence is null) return w;
            double neighbours = words.Count == 1 ? Acoustic(i)
                : Math.Min(i > 0 ? Acoustic(i - 1) : 1, i + 1 < words.Count ? Acoustic(i + 1) : 1);
            return w with { Evidence = w.Evidence with { Neighbours = neighbours, Utterance = utterance, UtteranceWords = words.Count } };
        }).ToList();
    }

    /// <summary>Each word's <see cref="WordEvidence.Agreement"/> with the acoustics alone (what the most likely unit of
    /// each of its frames spells, <see cref="WordEvidence.Heard"/>) and the utterance's mean of it.</summary>
    public static Transcript WithAgreement(Transcript transcript, CtcPosteriors posteriors, CtcUnits units)
    {
        if (transcript.Words.Count == 0) return transcript;
        var greedy = BestPath(posteriors);
        var words = transcript.Words.Select(w =>
        {
            if (w.Evidence is null) return w;
            int first = Math.Clamp((int)Math.Round(w.Start / posteriors.FrameSeconds), 0, greedy.Length);
            int end = Math.Clamp((int)Math.Round(w.End / posteriors.FrameSeconds), first, greedy.Length);
            var spelling = new System.Text.StringBuilder();
            int previous = CtcUnits.Blank;
            for (int t = first; t < end; t++)
            {
                int u = greedy[t];
                if (u != CtcUnits.Blank && u != previous && u != units.Separator) spelling.Append(units[u]);
                previous = u;
            }
            var heard = units.Written(spelling.ToString());
            return w with { Evidence = w.Evidence with { Agreement = Similarity(heard, w.Word), Heard = heard } };
        }).ToList();
        double mean = words.Average(w => w.Evidence?.Agreement ?? 1);
        return transcript with { Words = words.Select(w => w.Evidence is null ? w : w with { Evidence = w.Evidence with { UtteranceAgreement = mean } }).ToList() };
    }

    /// <summary>1 − (character edit distance) / (the longer length), ignoring case; 1 for two empty strings.</summary>
    public static double Similarity(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        if (a.Length == 0 && b.Length == 0) return 1;
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return 1 - row[b.Length] / (double)Math.Max(a.Length, b.Length);
    }

    /// <summary>Words, times and confidences of the text a frame path spells.</summary>
    public static Transcript ToTranscript(CtcPosteriors posteriors, IReadOnlyList<int> path, CtcUnits units)
    {
        var words = new List<WordTiming>();
        var spelling = new System.Text.StringBuilder();
        int wordStart = -1, wordEnd = -1;
        double logConfidence = 0;
        float weakest = 0;
        int wordUnits = 0;

        void EndWord()
        {
            if (wordUnits > 0)
            {
                double acoustic = Math.Clamp(Math.Exp(logConfidence / wordUnits), 0, 1);
                var evidence = new WordEvidence(acoustic, Math.Clamp(Math.Exp(weakest), 0, 1), 1, null, wordUnits,
                    FramesPerUnit: (wordEnd - wordStart + 1) / (double)wordUnits);
                words.Add(new WordTiming(units.Written(spelling.ToString()), wordStart * posteriors.FrameSeconds,
                    (wordEnd + 1) * posteriors.FrameSeconds, acoustic, evidence));
            }
            spelling.Clear();
            wordUnits = 0;
            logConfidence = 0;
            weakest = 0;
        }

        int t = 0;
        while (t < path.Count)
        {
            int unit = path[t];
            if (unit == CtcUnits.Blank) { t++; continue; }
            int first = t;
            float peak = float.NegativeInfinity;
            while (t < path.Count && path[t] == unit) { peak = Math.Max(peak, posteriors[t, unit]); t++; }
            if (unit == units.Separator) { EndWord(); continue; }
            if (wordUnits == 0) wordStart = first;
            wordEnd = t - 1;
            spelling.Append(units[unit]);
            logConfidence += peak;
            weakest = wordUnits == 0 ? peak : Math.Min(weakest, peak);
            wordUnits++;
        }
        EndWord();

        words = WithContext(words);
        var text = string.Join(' ', words.Select(w => w.Word));
        double confidence = words.Count == 0 ? 0 : words.Average(w => w.Confidence);
        return new Transcript(text, confidence, words, posteriors.DurationSeconds);
    }
}
