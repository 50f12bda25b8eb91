// Evaluate's speed-up from batching across files: the same utterances recognised one file per network call (as
// transcribe runs a file) and all together in length-sorted batches (as evaluate runs them, InferenceEngine). Prints
// one JSON line: utterances, audio seconds, both wall times, the speed-up, and whether the transcripts agree.
// Usage: InferenceBench MODEL DIR[:DIR…] [MAX_UTTERANCES] [THREADS]   (*.wav and *.ogg files, searched recursively)
using System.Diagnostics;
using System.Text.Json;
using DgTools.Audio;
using DgTools.Decoding;
using DgTools.Model;
using DgTools.Runtime;

var modelPath = args[0];
var files = args[1].Split(':').SelectMany(dir => Directory.EnumerateFiles(dir, "*.*", SearchOption.AllDirectories))
    .Where(f => f.EndsWith(".wav") || f.EndsWith(".ogg")).Order(StringComparer.Ordinal)
    .Take(args.Length > 2 ? int.Parse(args[2]) : 400).ToList();
ComputeDevice.SetThreads(args.Length > 3 ? int.Parse(args[3]) : 0);
var model = ModelFile.Read(modelPath, ModelArchitecture.ExpectedShapes);
using var recognizer = new SpeechRecognizer(model, modelPath);
var audio = files.Select(f => AudioDecoder.Load(f, recognizer.SampleRate)).ToList();
recognizer.TranscribeBatch(audio.Take(8).ToList());   // warm-up

var watch = Stopwatch.StartNew();
var oneByOne = audio.Select(a => recognizer.TranscribeBatch([a])[0].Text).ToList();
var perFile = watch.Elapsed.TotalSeconds;

watch.Restart();
var batched = recognizer.TranscribeBatch(audio).Select(t => t.Text).ToList();
var together = watch.Elapsed.TotalSeconds;

watch.Restart();
recognizer.PosteriorsBatch(audio);
var networkBatched = watch.Elapsed.TotalSeconds;
watch.Restart();
foreach (var a in audio) recognizer.PosteriorsBatch([a]);
var networkPerFile = watch.Elapsed.TotalSeconds;

Console.WriteLine(JsonSerializer.Serialize(new
{
    utterances = audio.Count,
    audio_seconds = Math.Round(audio.Sum(a => a.Length) / (double)recognizer.SampleRate, 1),
    per_file_seconds = Math.Round(perFile, 2),
    batched_seconds = Math.Round(together, 2),
    speedup = Math.Round(perFile / together, 2),
    network_per_file_seconds = Math.Round(networkPerFile, 2),
    network_batched_seconds = Math.Round(networkBatched, 2),
    network_speedup = Math.Round(networkPerFile / networkBatched, 2),
    transcripts_differing = oneByOne.Zip(batched).Count(p => p.First != p.Second),
}));
