// Data-pipeline benchmarks (run by bench/data/run.sh; results in docs/benchmarks.md):
//   fbank DIR --threads N [--repeat R]   log-mel throughput over every WAV in DIR (decode + resample untimed)
//   discovery ROOT --files N             discovery + split of N tiny pairs in a generated resource directory
using System.Diagnostics;
using DgTools.Audio;
using DgTools.Data;
using DgTools.Reporting;

var command = args.Length > 0 ? args[0] : "";
string Option(string name, string fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

switch (command)
{
    case "fbank":
    {
        var dir = args[1];
        int threads = int.Parse(Option("--threads", "1")), repeat = int.Parse(Option("--repeat", "3"));
        var files = Directory.GetFiles(dir, "*.wav").Order(StringComparer.Ordinal).ToArray();
        var audio = files.Select(AudioDecoder.LoadMono16k).ToArray();
        double seconds = audio.Sum(a => a.Length) / 16000.0;
        var extractor = new FbankExtractor(new FeatureConfig());
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
        Parallel.For(0, Math.Min(200, audio.Length), parallel, i => extractor.Compute(audio[i])); // warm-up (JIT)
        double best = double.MaxValue;
        for (int r = 0; r < repeat; r++)
        {
            var sw = Stopwatch.StartNew();
            Parallel.For(0, audio.Length, parallel, i => extractor.Compute(audio[i]));
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        Console.WriteLine($"dgtools fbank: {files.Length} files, {seconds:F1} s of audio, {threads} thread(s): best {best:F3} s wall = {seconds / best:F0} audio-s per wall-s");
        break;
    }
    case "discovery":
    {
        var root = args[1];
        int files = int.Parse(Option("--files", "100000"));
        var resources = new ResourceDirectory(root);
        Generate(resources, files);
        if (File.Exists(resources.SplitsFile)) File.Delete(resources.SplitsFile);
        foreach (var run in new[] { "first run (new split file)", "second run (split file exists)" })
        {
            var reporter = new RecordingReporter();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var discovery = new DatasetDiscovery(resources, "en", reporter).Discover();
            var discovered = sw.Elapsed.TotalSeconds;
            var split = SplitRegistry.Apply(resources, discovery, reporter);
            Console.WriteLine($"discovery + split, {run}: {discovery.Utterances.Count} pairs in {discovery.Datasets.Count} sets, " +
                              $"{sw.Elapsed.TotalSeconds:F2} s wall (discovery {discovered:F2} s), " +
                              $"{(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2} s CPU; {split.Validate.Count} validate, {reporter.Warnings.Count} warnings");
        }
        break;
    }
    default:
        Console.Error.WriteLine("usage: DataBench fbank DIR --threads N [--repeat R] | discovery ROOT --files N");
        return 2;
}
return 0;

// N tiny pairs (0.1 s of 16 kHz PCM + a short transcript) spread over 10 sets; made once, reused.
static void Generate(ResourceDirectory resources, int files)
{
    var marker = Path.Combine(resources.Root, $".generated-{files}");
    if (File.Exists(marker)) return;
    var wav = new byte[44 + 3200];
    "RIFF"u8.CopyTo(wav); BitConverter.TryWriteBytes(wav.AsSpan(4), wav.Length - 8); "WAVEfmt "u8.CopyTo(wav.AsSpan(8));
    BitConverter.TryWriteBytes(wav.AsSpan(16), 16); BitConverter.TryWriteBytes(wav.AsSpan(20), (short)1);
    BitConverter.TryWriteBytes(wav.AsSpan(22), (short)1); BitConverter.TryWriteBytes(wav.AsSpan(24), 16000);
    BitConverter.TryWriteBytes(wav.AsSpan(28), 32000); BitConverter.TryWriteBytes(wav.AsSpan(32), (short)2);
    BitConverter.TryWriteBytes(wav.AsSpan(34), (short)16); "data"u8.CopyTo(wav.AsSpan(36)); BitConverter.TryWriteBytes(wav.AsSpan(40), 3200);
    Parallel.For(0, files, i =>
    {
        var dir = Path.Combine(resources.DatasetsRoot("en"), $"set{i % 10}");
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, $"utt{i:D6}.wav"), wav);
        File.WriteAllText(Path.Combine(dir, $"utt{i:D6}.txt"), $"utterance number {i % 1000}");
    });
    File.WriteAllText(marker, "");
}
