// Diagnosis of added-word recall: runs a model's network once over a data set's split, then decodes it with each
// list of decoding-option overrides given after "--" (snake_case keys as stored in the .dg, e.g.
// "lm_weight=0.7 beam_size=256"; "" keeps the stored options) and prints WER, added-word recall and the decoding's
// real-time factor for each.
//   RecallSweep MODEL DATASETS|- SPLIT [--print] [--explain] [--relex BASE.dg [--relex-data DATASETS] [--share S]]
//               [--rescale START.dg K] -- "key=value ..." ...
//   --print: every utterance with an error ("MISS": an added word missed); --explain: for each miss, the reference's
//     and the hypothesis's score (acoustic along the best forced path, LM per word) under the options.
//   --relex: the model's lexicon rebuilt as autotrain builds it now, from BASE's lexicon and the training split's
//     transcripts (of DATASETS), to measure a language-model change without training again.
//   --rescale: every parameter moved to START + K × (model − START): another weight-merge ratio (K = new / old ratio).
// Run with bench/decoding/recall-sweep.sh and DGTOOLS_RESOURCE_DIR set to the resource directory autotrain used (its split file decides the splits).
using System.Text.Json;
using DgTools.Audio;
using DgTools.Data;
using DgTools.Decoding;
using DgTools.Evaluation;
using DgTools.Model;
using DgTools.Reporting;

var modelPath = args[0];
var model = ModelFile.Read(modelPath, ModelArchitecture.ExpectedShapes);
var resources = ResourceDirectory.FromEnvironment();
var reporter = new RecordingReporter();
string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
// --rescale START.dg K: every parameter moved to START + K × (model − START) (the weight merge of another ratio:
// K = new ratio / the run's ratio); BatchNorm statistics, which the merge leaves alone, stay.
if (Option("--rescale") is { } startPath)
{
    var start = ModelFile.Read(startPath, ModelArchitecture.ExpectedShapes);
    var k = double.Parse(args[Array.IndexOf(args, "--rescale") + 2]);
    var tensors = model.Tensors.ToDictionary(kv => kv.Key, kv =>
    {
        if (kv.Value.DType != "F32" || kv.Key.Contains("running_") || !start.Tensors.TryGetValue(kv.Key, out var s0)) return kv.Value;
        var a = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(kv.Value.Data);
        var b = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(s0.Data);
        var o = new float[a.Length];
        for (int j = 0; j < o.Length; j++) o[j] = (float)(b[j] + k * (a[j] - b[j]));
        return TensorData.FromFloats(kv.Value.Shape, o);
    });
    model = model with { Tensors = tensors };
    Console.WriteLine($"rescaled the change from {startPath} by {k}");
}
// --relex BASE.dg: the lexicon rebuilt as autotrain builds it now: BASE's lexicon + the training split's transcripts.
if (Option("--relex") is { } basePath)
{
    var baseModel = ModelFile.Read(basePath, ModelArchitecture.ExpectedShapes);
    var train = ModelEvaluation.SelectUtterances(resources, model.Metadata.Language,
        new EvaluationOptions { DatasetLocations = Option("--relex-data") ?? (args[1] == "-" ? null : args[1]), Split = EvaluationSplit.Train }, reporter);
    var update = DgTools.Language.ModelLexicon.AddTranscripts(baseModel, train.Select(u => u.Text), double.Parse(Option("--share") ?? "0.5"));
    model = DgTools.Language.ModelLexicon.With(model, DgTools.Language.ModelLexicon.Read(update.Model)!);
    Console.WriteLine($"relex: {train.Count} training transcripts, weight {update.Weight}, {update.AddedWords.Count} added");
}
var utterances = ModelEvaluation.SelectUtterances(resources, model.Metadata.Language,
    new EvaluationOptions { DatasetLocations = args[1] == "-" ? null : args[1], Split = EvaluationSplits.Parse(args[2]) }, reporter);
var print = args.Contains("--print");
var explain = args.Contains("--explain");
var units = ModelDecoding.ReadUnits(model, modelPath);
var lm = new DgTools.Language.WordLanguageModel(DgTools.Language.ModelLexicon.Read(model, modelPath)!);
void Explain(string text, CtcPosteriors post, DecodingOptions o, string label)
{
    var words = WordErrorRate.Words(text);
    var ids = new List<int>();
    foreach (var w in words) { if (ids.Count > 0) ids.Add(units.Separator); ids.AddRange(units.Spell(w) ?? []); }
    var path = CtcAlignment.ForcedPath(post, ids);
    double ac = path is null ? double.NegativeInfinity : Enumerable.Range(0, post.Frames).Sum(t => (double)post[t, path[t]]);
    var state = DgTools.Language.LmState.Start;
    var parts = new List<string>();
    double lmTotal = 0; int unknown = 0;
    foreach (var w in words)
    {
        int id = lm.IdOf(w); if (id == DgTools.Language.Lexicon.Unknown) unknown++;
        var p = lm.LogProb(state, id); lmTotal += p; parts.Add($"{w}:{p:F1}"); state = state.Then(id);
    }
    var end = lm.LogProb(state, DgTools.Language.Lexicon.SentenceEnd); lmTotal += end;
    double total = ac + o.LmWeight * lmTotal + o.WordInsertionBonus * words.Length + o.UnknownWordPenalty * unknown;
    Console.WriteLine($"      {label}: total {total:F1} = ac {ac:F1} + {o.LmWeight}*lm {lmTotal:F1} + bonus*{words.Length} + unk {unknown}  [{string.Join(" ", parts)} </s>:{end:F1}]");
}
var sets = args.SkipWhile(a => a != "--").Skip(1).ToList();
if (sets.Count == 0) sets.Add("");
var sampleRate = model.Metadata.Features.SampleRate;
var audio = utterances.Select(u => AudioDecoder.Load(u.AudioPath, sampleRate)).ToArray();
IReadOnlyList<CtcPosteriors> posteriors;
using (var recognizer = new SpeechRecognizer(model, modelPath, DecodingOptions.Default with { Greedy = true }))
    posteriors = recognizer.PosteriorsBatch(audio);
var stored = ModelDecoding.ReadOptions(model, modelPath);
var added = model.Metadata.AddedWords.ToHashSet(StringComparer.Ordinal);
// Decoding options as stored in the .dg (snake_case keys), so an override names a key the way the file does.
var snakeCase = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
foreach (var set in sets)
{
    var json = JsonSerializer.SerializeToNode(stored, snakeCase)!.AsObject();
    foreach (var kv in set.Split(' ', StringSplitOptions.RemoveEmptyEntries))
    {
        var (k, v) = (kv.Split('=')[0], kv.Split('=')[1]);
        json[k] = v == "true" || v == "false" ? bool.Parse(v) : v == "-inf" ? double.NegativeInfinity : double.Parse(v);
    }
    var options = JsonSerializer.Deserialize<DecodingOptions>(json, snakeCase)!;
    var decoder = ModelDecoding.CreateDecoder(model, options, modelPath);
    var watch = System.Diagnostics.Stopwatch.StartNew();
    var hyps = decoder.DecodeBatch(posteriors, 1);
    var decodeSeconds = watch.Elapsed.TotalSeconds;
    var counts = ErrorCounts.Zero;
    int hits = 0, occ = 0;
    for (int i = 0; i < utterances.Count; i++)
    {
        var a = WordErrorRate.AlignWords(utterances[i].Text, hyps[i].Text);
        counts += a.Counts;
        bool miss = false;
        foreach (var p in a.Pairs)
            if (p.Reference is not null && added.Contains(p.Reference)) { occ++; if (p.Operation == EditOperation.Correct) hits++; else miss = true; }
        if (print && (miss || a.Counts.Errors > 0)) Console.WriteLine($"  {(miss ? "MISS" : "err ")} {utterances[i].SourceId}: {utterances[i].Text} -> {hyps[i].Text}");
        if (explain && miss) { Explain(utterances[i].Text, posteriors[i], options, "ref"); Explain(hyps[i].Text, posteriors[i], options, "hyp"); }
    }
    Console.WriteLine($"{set,-70} WER {counts.Rate * 100:F1} %  recall {(occ == 0 ? "n/a" : $"{hits}/{occ} = {100.0 * hits / occ:F1} %")}  decode RTF {decodeSeconds / (audio.Sum(a => a.Length) / (double)sampleRate):F4}");
}
