// Aligns a long synthetic recording (bench/alignment/reference_align.py make-long) and prints one JSON line:
// wall time, peak RSS, search statistics and word-boundary accuracy against the true frames.
using System.Diagnostics;
using System.Text.Json;
using DgTools.Alignment;

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: AlignmentBench DIR [--path-out FILE] [--max-active N] [--commit-beam B]");
    return 2;
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
var posteriors = LogPosteriors.ReadFloat32(Path.Combine(dir, "long.f32"), 28, 0.04);
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
