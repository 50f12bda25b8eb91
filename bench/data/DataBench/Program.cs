// Data-pipeline benchmarks (run by bench/data/run.sh; results in docs/benchmarks.md):
//   fbank DIR --threads N [--repeat R]   log-mel throughput over every WAV in DIR (decode + resample untimed)
//   discovery ROOT --files N             discovery + split of N tiny pairs in a generated resource directory
//   load FILE [--whole]                  one recording to 16 kHz: wall time and peak RSS (VmHWM); --whole takes the
//                                        whole-file path (decode everything, then resample) instead of streaming
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
    case "load":
    {
        var path = args[1];
        var clock = Stopwatch.StartNew();
        float[] samples;
        if (args.Contains("--whole"))
        {
            var audio = AudioDecoder.Decode(path);
            samples = Resampler.Resample(audio.Samples, audio.SampleRate, AudioDecoder.ModelSampleRate);
        }
        else samples = AudioDecoder.LoadMono16k(path);
        var peak = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:"));
        Console.WriteLine($"{(args.Contains("--whole") ? "whole file" : "streamed")}: {samples.Length / 16000.0 / 60:F1} min at 16 kHz " +
                          $"in {clock.Elapsed.TotalSeconds:F1} s, peak RSS {peak["VmHWM:".Length..].Trim()}");
        break;
    }
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
        double best = double.MaxValue, bestCpu = double.MaxValue;
        for (int r = 0; r < repeat; r++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            Parallel.For(0, audio.Length, parallel, i => extractor.Compute(audio[i]));
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
            bestCpu = Math.Min(bestCpu, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
        }
        Console.WriteLine($"dgtools fbank: {files.Length} files, {seconds:F1} s of audio, {threads} thread(s): best {best:F3} s wall = " +
                          $"{seconds / best:F0} audio-s per wall-s; {bestCpu:F3} s CPU = {seconds / bestCpu:F0} audio-s per CPU-s");
        var reference = Option("--parity", "");
        if (reference.Length > 0)
        {
            // torchaudio's fbank of the first 100 files (bench_fbank.py --dump), against ours on our own resampling.
            var theirs = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(reference)).ToArray();
            var ours = audio.Take(100).SelectMany(a => extractor.Compute(a).Data).ToArray();
            Report("resampled by each side", ours, theirs);
            // The same on torchaudio's own 16 kHz samples: the feature extractor alone.
            var raw = File.ReadAllBytes(reference + ".audio");
            var same = new List<float>();
            for (int at = 0; at < raw.Length;)
            {
                int n = BitConverter.ToInt32(raw, at);
                var samples = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw.AsSpan(at + 4, n * 4)).ToArray();
                same.AddRange(extractor.Compute(samples).Data);
                at += 4 + n * 4;
            }
            Report("identical 16 kHz input", [.. same], theirs);
            var theirs64 = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(reference + ".float64")).ToArray();
            Report("identical 16 kHz input, torchaudio computing in float64", [.. same], theirs64);
            static void Report(string what, float[] ours, float[] theirs)
            {
                if (ours.Length != theirs.Length) throw new InvalidOperationException($"{ours.Length} values, reference has {theirs.Length}");
                double max = 0, sum = 0;
                for (int i = 0; i < ours.Length; i++) { double d = Math.Abs(ours[i] - theirs[i]); max = Math.Max(max, d); sum += d; }
                int over = ours.Where((v, i) => Math.Abs(v - theirs[i]) > 1e-3).Count();
                Console.WriteLine($"parity vs torchaudio on 100 real 8 kHz recordings, {what}: max abs {max:E2}, " +
                                  $"mean abs {sum / ours.Length:E2}, {over} of {ours.Length} values above 1e-3");
            }
        }
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
