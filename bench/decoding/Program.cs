// Decoding benchmark: speed (real-time factor on one core) and accuracy of greedy vs beam search + word LM on
// realistic CTC posteriors, and the grid search behind DecodingOptions' defaults.
//
// The posteriors are simulated, not a trained model's: 29 English units at 25 frames/s, every character one peak
// frame (probability 0.55–0.98) followed by a blank frame half the time (≈ 16.6 characters/s, the TTS voices' rate),
// silence at both ends, and 12 % of characters confused with another letter — which out-scores the right one in half
// of those cases, so greedy decoding makes word errors the language model can fix. The LM is the general English
// lexicon built from the corpus's training sentences at the default pruning budget.
//
// Usage: DecodingBench TRAIN.txt EVAL.txt [--utterances N] [--tune]
using System.Diagnostics;
using DgTools.Decoding;
using DgTools.Evaluation;
using DgTools.Language;
using DgTools.Text;

var trainPath = args[0];
var evalPath = args[1];
int utterances = args.Contains("--utterances") ? int.Parse(args[Array.IndexOf(args, "--utterances") + 1]) : 300;
bool tune = args.Contains("--tune");

var normalizer = TextNormalizer.For("en");
var units = CtcUnits.For(Alphabet.For("en").Units, "en");

var sw = Stopwatch.StartNew();
var train = File.ReadLines(trainPath).Select(l => normalizer.Normalize(l)).Where(l => l.Length > 0).ToList();
var normalizeSeconds = sw.Elapsed.TotalSeconds;
sw.Restart();
var lexicon = Lexicon.FromTranscripts(train);
var buildSeconds = sw.Elapsed.TotalSeconds;
var stored = LexiconFormat.Write(lexicon);
sw.Restart();
var lm = new WordLanguageModel(LexiconFormat.Read(stored));
var loadSeconds = sw.Elapsed.TotalSeconds;
Console.WriteLine($"lexicon: {train.Count} training sentences, {lexicon.VocabularySize} words, {lexicon.BigramCount} bigrams, " +
                  $"{lexicon.TrigramCount} trigrams; normalise {normalizeSeconds:F1} s, count+prune {buildSeconds:F1} s, " +
                  $"stored {stored.Length / 1e6:F1} MB, read+estimate {loadSeconds:F2} s");

var evalSentences = File.ReadLines(evalPath).Select(l => normalizer.Normalize(l)).Where(l => l.Length > 0).ToList();
var tuneSet = evalSentences.Take(150).Select((s, i) => (s, Simulate(s, units, new Random(1000 + i)))).ToList();
var testSet = evalSentences.Skip(150).Take(utterances).Select((s, i) => (s, Simulate(s, units, new Random(i)))).ToList();
double audioSeconds = testSet.Sum(t => t.Item2.DurationSeconds);
int frames = testSet.Sum(t => t.Item2.Frames);
Console.WriteLine($"test set: {testSet.Count} utterances, {audioSeconds:F0} s of audio, {frames} frames × {units.Count} units " +
                  $"(mean {audioSeconds / testSet.Count:F1} s)");

if (tune)
{
    Console.WriteLine("tuning on 150 other utterances (WER %):");
    var best = (Wer: double.MaxValue, Options: DecodingOptions.Default);
    foreach (var weight in new[] { 0.15, 0.2, 0.3, 0.5, 0.8 })
        foreach (var bonus in new[] { 1.0, 2.0, 3.0 })
            foreach (var unk in new[] { -3.0, -6.0 })
            foreach (var unit in new[] { -0.5, -1.5 })
            {
                var options = DecodingOptions.Default with
                {
                    LmWeight = weight, WordInsertionBonus = bonus, UnknownWordPenalty = unk, UnknownUnitPenalty = unit,
                };
                var wer = Wer(new CtcDecoder(units, lm, options), tuneSet);
                Console.WriteLine($"  lm_weight {weight,4} bonus {bonus,4} unk {unk,5} unit {unit,4}: {100 * wer:F2}");
                if (wer < best.Wer) best = (wer, options);
            }
    Console.WriteLine($"best: lm_weight {best.Options.LmWeight} bonus {best.Options.WordInsertionBonus} unk {best.Options.UnknownWordPenalty} " +
                      $"unit {best.Options.UnknownUnitPenalty} " +
                      $"→ {100 * best.Wer:F2} %");
    foreach (var beam in new[] { 4, 8, 16, 32 })
    {
        var options = best.Options with { BeamSize = beam };
        Console.WriteLine($"  beam {beam,2}: WER {100 * Wer(new CtcDecoder(units, lm, options), tuneSet):F2} %");
    }
}

Measure("greedy", new CtcDecoder(units, lm, new DecodingOptions { Greedy = true }));
Measure("beam 16 + LM (defaults)", new CtcDecoder(units, lm, DecodingOptions.Default));
Measure("beam 16, no LM", new CtcDecoder(units, null, DecodingOptions.Default));

void Measure(string name, CtcDecoder decoder)
{
    foreach (var (_, p) in testSet.Take(20)) decoder.Decode(p); // warm up the JIT
    var times = new List<double>();
    List<string> hypotheses = [];
    for (int run = 0; run < 3; run++)
    {
        var watch = Stopwatch.StartNew();
        hypotheses = testSet.Select(t => decoder.Decode(t.Item2).Text).ToList();
        times.Add(watch.Elapsed.TotalSeconds);
    }
    if (Environment.GetEnvironmentVariable("SHOW") is not null)
        for (int i = 0; i < testSet.Count; i++) if (WordErrorRate.AlignWords(testSet[i].Item1, hypotheses[i]).Counts.Deletions > 1) Console.WriteLine($"  ref: {testSet[i].Item1}\n  hyp: {hypotheses[i]}");
    var counts = WordErrorRate.ScoreWords(testSet.Select((t, i) => (t.Item1, hypotheses[i])));
    times.Sort();
    Console.WriteLine($"{name,-24} RTF {times[1] / audioSeconds:F5} (median of 3: {times[1]:F3} s for {audioSeconds:F0} s)  " +
                      $"WER {100 * counts.Rate:F2} % (S {counts.Substitutions} D {counts.Deletions} I {counts.Insertions})");
}

static double Wer(CtcDecoder decoder, List<(string Reference, CtcPosteriors Posteriors)> set) =>
    WordErrorRate.ScoreWords(set.Select(t => (t.Reference, decoder.Decode(t.Posteriors).Text))).Rate;

static CtcPosteriors Simulate(string text, CtcUnits units, Random rng)
{
    var rows = new List<float[]>();
    int letters = units.Count - 2;
    float[] Background()
    {
        var row = new float[units.Count];
        for (int u = 0; u < row.Length; u++) row[u] = (float)(Math.Exp(-rng.NextDouble() * 4) * 1e-3);
        return row;
    }
    void Silence(int n)
    {
        for (int i = 0; i < n; i++)
        {
            var row = Background();
            row[CtcUnits.Blank] = (float)(0.9 + 0.099 * rng.NextDouble());
            rows.Add(row);
        }
    }
    Silence(rng.Next(5, 15));
    foreach (var c in text)
    {
        var row = Background();
        int unit = c == ' ' ? units.Separator : units.Spell(c.ToString())![0];
        double p = 0.55 + 0.43 * rng.NextDouble();
        row[unit] += (float)p;
        row[CtcUnits.Blank] += (float)((1 - p) * rng.NextDouble());
        if (c != ' ' && rng.NextDouble() < 0.12)
        {
            int other;
            do other = 2 + rng.Next(letters); while (other == unit);
            row[other] += (float)(rng.NextDouble() < 0.5 ? p * (1.05 + 0.3 * rng.NextDouble()) : p * 0.5 * rng.NextDouble());
        }
        rows.Add(row);
        if (rng.NextDouble() < 0.5) Silence(1);
    }
    Silence(rng.Next(5, 15));
    return CtcPosteriors.FromProbabilities([.. rows], 0.04);
}
