// Aligns a long synthetic recording (bench/alignment/reference_align.py make-long) and prints one JSON line:
// wall time, peak RSS, search statistics and word-boundary accuracy against the true frames.
using DgTools.Decoding;
using System.Diagnostics;
using System.Text.Json;
using DgTools.Alignment;

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: AlignmentBench DIR [--path-out FILE] [--max-active N] [--commit-beam B]\n" +
                            "       AlignmentBench --model MODEL.dg MINUTES [THREADS [CHUNK_SECONDS]]   (posteriors of synthetic audio + alignment)");
    return 2;
}
if (args[0] == "--model")
{
    // Optional 4th argument: torch threads (1 gives a CPU time free of OpenMP spin-waiting on a loaded machine).
    if (args.Length > 3) TorchSharp.torch.set_num_threads(int.Parse(args[3]));
    return EndToEnd.Run(args[1], double.Parse(args[2]), args.Length > 4 ? double.Parse(args[4]) : 30);
}
var dir = args[0];
string? pathOut = null;
var options = new AlignmentOptions();
for (var i = 1; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--path-out": pathOut = args[i + 1]; break;
        case "--max-active": options = options with { MaxActiveStates = int.Parse(args[i + 1]) }; break;
        case "--commit-beam": options = options with { CommitBeam = double.Parse(args[i + 1]) }; break;
        case "--garbage": options = options with { GarbagePenalty = args[i + 1] == "off" ? null : double.Parse(args[i + 1]) }; break;
    }
}

using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "long.words.json")));
var truth = doc.RootElement.EnumerateArray().Select(w => (
    Word: new AlignmentWord(w.GetProperty("text").GetString()!, w.GetProperty("units").EnumerateArray().Select(u => u.GetInt32()).ToArray()),
    Start: w.GetProperty("start_frame").GetInt32(),
    End: w.GetProperty("end_frame").GetInt32())).ToList();

var clock = Stopwatch.StartNew();
var posteriors = CtcPosteriors.ReadFloat32(Path.Combine(dir, "long.f32"), 28, 0.04);
var loaded = clock.Elapsed.TotalSeconds;
var result = new CtcForcedAligner(options).Align(posteriors, truth.Select(t => t.Word).ToList())
    ?? throw new InvalidOperationException("no alignment");
var seconds = clock.Elapsed.TotalSeconds - loaded;

var within = truth.Zip(result.Words).Count(p =>
    Math.Abs(p.First.Start * 0.04 - p.Second.Start) <= 0.1 + 1e-9 && Math.Abs(p.First.End * 0.04 - p.Second.End) <= 0.1 + 1e-9);
if (pathOut is not null) File.WriteAllText(pathOut, JsonSerializer.Serialize(result.StatePath));
var peakKb = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:"))
    .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
Console.WriteLine(JsonSerializer.Serialize(new
{
    frames = posteriors.Frames,
    audio_minutes = Math.Round(posteriors.DurationSeconds / 60, 1),
    words = truth.Count,
    seconds = Math.Round(seconds, 2),
    load_seconds = Math.Round(loaded, 2),
    peak_rss_mb = long.Parse(peakKb) / 1024,
    within_100ms = Math.Round(within / (double)truth.Count, 4),
    garbage_stretches = result.Garbage.Count,
    stats = result.Statistics,
}));
return 0;

/// <summary>Model forward over a long recording in chunks, then alignment: time and peak memory of the whole path.
/// The audio is noise and tones and the model need not be trained: this measures cost, not accuracy.</summary>
internal static class EndToEnd
{
    public static int Run(string modelPath, double minutes, double chunkSeconds)
    {
        var file = DgTools.Model.ModelFile.Read(modelPath, DgTools.Model.ModelArchitecture.ExpectedShapes);
        var random = new Random(1);
        var samples = new float[(int)(minutes * 60 * 16000)];
        for (var i = 0; i < samples.Length; i++)
            samples[i] = (float)(0.05 * Math.Sin(i * 0.07 * (1 + (i / 8000) % 5)) + 0.01 * (random.NextDouble() - 0.5));
        var clock = Stopwatch.StartNew();
        using var source = new ModelPosteriorSource(file, modelPath, chunkSeconds: chunkSeconds);
        var posteriors = source.Compute(samples);
        var forward = clock.Elapsed.TotalSeconds;
        var letters = "abcdefghijklmnopqrstuvwxyz";
        var words = Enumerable.Range(0, (int)(minutes * 60 * 2.5))
            .Select(_ => new string(Enumerable.Range(0, 2 + random.Next(7)).Select(_ => letters[random.Next(26)]).ToArray()))
            .Select(w => new AlignmentWord(w, source.Alphabet.Encode(w)))
            .ToList();
        clock.Restart();
        var result = new CtcForcedAligner(new AlignmentOptions { SeparatorUnit = DgTools.Text.Alphabet.SpaceIndex })
            .Align(posteriors, words);
        var align = clock.Elapsed.TotalSeconds;
        var peakKb = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:"))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            audio_minutes = minutes,
            model_parameters = file.Tensors.Values.Sum(t => t.ElementCount),
            frames = posteriors.Frames,
            words = words.Count,
            posterior_seconds = Math.Round(forward, 1),
            align_seconds = Math.Round(align, 2),
            aligned = result is not null,
            peak_rss_mb = long.Parse(peakKb) / 1024,
            stats = result?.Statistics,
        }));
        return 0;
    }
}
