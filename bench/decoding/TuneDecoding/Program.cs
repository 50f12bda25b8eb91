// Tunes a trained model's decoding options on held-out utterances: the network runs once, then the beam search with
// the word LM is scored (WER) over a grid of LM weights, word insertion bonuses and unknown-word penalties. Prints the
// grid (best first) and, with --write, stores the best options in a copy of the model (ModelDecoding.WithOptions).
//
// Usage: TuneDecoding MODEL DATA_DIR [--write OUT.dg] [--max-utterances N] [--beam-size N] [--lexicon-text FILE]
//   DATA_DIR: a data set (audio + .txt transcripts), e.g. the general corpus's dgdatasets/general-validate — never
//   the test set the model is reported on.
//   --lexicon-text: first replace the model's lexicon (vocabulary + trigram counts) with one estimated from FILE, one
//   sentence a line — a general model's whole training text pool, far more text than was ever synthesised.
using System.Diagnostics;
using DgTools.Audio;
using DgTools.Data;
using DgTools.Decoding;
using DgTools.Evaluation;
using DgTools.Language;
using DgTools.Model;
using DgTools.Reporting;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: TuneDecoding MODEL DATA_DIR [--write OUT.dg] [--max-utterances N] [--beam-size N] [--lexicon-text FILE]");
    return 2;
}
string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
var modelPath = args[0];
var dataDir = Path.GetFullPath(args[1]);
var maxUtterances = int.Parse(Option("--max-utterances") ?? "400");
var beamSize = int.Parse(Option("--beam-size") ?? DecodingOptions.Default.BeamSize.ToString());

var model = ModelFile.Read(modelPath, ModelArchitecture.ExpectedShapes);
var language = model.Metadata.Language;
if (Option("--lexicon-text") is { } textPath)
{
    var before = ModelLexicon.Read(model, modelPath);
    var lexicon = ModelLexicon.FromTextFile(textPath, language);
    model = ModelLexicon.With(model, lexicon);
    Console.WriteLine($"lexicon from {textPath}: {lexicon.VocabularySize:N0} words, {lexicon.BigramCount + lexicon.TrigramCount:N0} n-grams " +
        $"(was {before?.VocabularySize ?? 0:N0} words, {(before is null ? 0 : before.BigramCount + before.TrigramCount):N0} n-grams)");
}
var resources = new ResourceDirectory(Path.Combine(Path.GetTempPath(), $"tune-decoding-{Environment.ProcessId}"));
Directory.CreateDirectory(resources.Root);
try
{
    var reporter = new RecordingReporter();
    var all = ModelEvaluation.SelectUtterances(resources, language,
        new EvaluationOptions { DatasetLocations = dataDir, Split = EvaluationSplit.All }, reporter);
    var count = Math.Min(maxUtterances, all.Count);   // evenly spaced when there are more
    var utterances = Enumerable.Range(0, count).Select(i => all[(int)((long)i * all.Count / count)]).ToList();
    var sampleRate = model.Metadata.Features.SampleRate;
    var audio = utterances.Select(u => AudioDecoder.Load(u.AudioPath, sampleRate)).ToArray();
    var references = utterances.Select(u => u.Text).ToArray();
    Console.WriteLine($"{utterances.Count} utterances from {dataDir}, {audio.Sum(a => a.Length) / (double)sampleRate / 60:F1} min");

    var watch = Stopwatch.StartNew();
    IReadOnlyList<CtcPosteriors> posteriors;
    using (var recognizer = new SpeechRecognizer(model, modelPath, DecodingOptions.Default with { Greedy = true }))
        posteriors = recognizer.PosteriorsBatch(audio);
    Console.WriteLine($"network: {watch.Elapsed.TotalSeconds:F1} s");

    double Wer(DecodingOptions options)
    {
        var decoder = ModelDecoding.CreateDecoder(model, options, modelPath);
        var hypotheses = decoder.DecodeBatch(posteriors, Environment.ProcessorCount);
        return WordErrorRate.ScoreWords(references.Select((r, i) => (r, hypotheses[i].Text))).Rate;
    }

    var stored = ModelDecoding.ReadOptions(model, modelPath);
    var results = new List<(DecodingOptions Options, double Wer)>
    {
        (stored with { Greedy = true }, Wer(stored with { Greedy = true })),
        (stored, Wer(stored)),
    };
    foreach (var lmWeight in new[] { 0.2, 0.3, 0.4, 0.55, 0.7, 1.0 })
    foreach (var bonus in new[] { 0.0, 0.5, 1.0, 2.0 })
    foreach (var unknown in new[] { -3.0, -6.0, -10.0 })
    {
        var options = stored with { Greedy = false, BeamSize = beamSize, LmWeight = lmWeight, WordInsertionBonus = bonus, UnknownWordPenalty = unknown };
        results.Add((options, Wer(options)));
    }
    Console.WriteLine($"grid of {results.Count - 2}: {watch.Elapsed.TotalSeconds:F1} s in all");
    Console.WriteLine();
    Console.WriteLine("| decoding | LM weight | insertion bonus | unknown-word penalty | WER |");
    Console.WriteLine("|---|---:|---:|---:|---:|");
    string Row((DecodingOptions O, double Wer) r, string label) =>
        $"| {label} | {(r.O.Greedy ? "—" : r.O.LmWeight.ToString())} | {(r.O.Greedy ? "—" : r.O.WordInsertionBonus.ToString())} | " +
        $"{(r.O.Greedy ? "—" : r.O.UnknownWordPenalty.ToString())} | {r.Wer * 100:F1} % |";
    Console.WriteLine(Row(results[0], "greedy"));
    Console.WriteLine(Row(results[1], "stored in the model"));
    var ranked = results.Skip(2).OrderBy(r => r.Wer).ThenBy(r => r.Options.LmWeight).ToList();
    foreach (var r in ranked.Take(5)) Console.WriteLine(Row(r, "beam + LM"));
    var best = ranked[0];

    if (Option("--write") is { } output)
    {
        ModelFile.Write(output, ModelDecoding.WithOptions(model, best.Options));
        Console.WriteLine($"\nwrote {output} with LM weight {best.Options.LmWeight}, insertion bonus {best.Options.WordInsertionBonus}, " +
            $"unknown-word penalty {best.Options.UnknownWordPenalty} (WER {best.Wer * 100:F1} %)");
    }
    return 0;
}
finally
{
    Directory.Delete(resources.Root, recursive: true);
}
