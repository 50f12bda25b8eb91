// Training-step time of dgtools' Conformer-CTC (TorchSharp) on a fixed batch, the step's FLOP count, and the
// machine's dense float32 matmul rate with the same libtorch, so the step's achieved FLOP/s can be put against it.
// Usage: TrainStepBench [--batch B] [--frames T] [--steps N] [--threads K] [--subsampling S] [--head-upsampling H]
//        [--layers L] [--d-model D] [--labels-per-second R]
using System.Diagnostics;
using DgTools.Model;
using DgTools.Training;
using static TorchSharp.torch;

var arguments = args.Chunk(2).ToDictionary(p => p[0].TrimStart('-'), p => p[1]);
int Arg(string name, int fallback) => arguments.TryGetValue(name, out var v) ? int.Parse(v) : fallback;
var (batch, frames, steps, threads) = (Arg("batch", 16), Arg("frames", 600), Arg("steps", 8), Arg("threads", 2));
set_num_threads(threads);
var defaults = new ModelConfig();
var config = defaults with
{
    Subsampling = Arg("subsampling", defaults.Subsampling), HeadUpsampling = Arg("head-upsampling", defaults.HeadUpsampling),
    NumLayers = Arg("layers", defaults.NumLayers), DModel = Arg("d-model", defaults.DModel),
    FeedForwardDim = 4 * Arg("d-model", defaults.DModel),
};
var labels = (int)(frames / 100.0 * Arg("labels-per-second", 12));

// the same batch as bench_train_step.py builds: deterministic pseudo-random features and labels
var utterances = Enumerable.Range(0, batch).Select(b =>
{
    var features = new float[frames * config.InputDim];
    for (var i = 0; i < features.Length; i++) features[i] = (float)Math.Sin(0.37 * i + b);
    var units = Enumerable.Range(0, labels).Select(i => 1 + (i * 7 + b) % (config.NumUnits - 1)).ToArray();
    return new Utterance(features, frames, units);
}).ToList();

using var model = new ConformerCtc(config, seed: 1);
var options = new TrainerOptions
{
    Batching = new BatchingOptions { MaxFramesPerBatch = batch * frames, MaxUtterancesPerBatch = batch },
    Augmentation = AugmentationOptions.None,
};
using var trainer = new Trainer(model, new InMemoryUtterances(utterances), options);
trainer.TrainStep(); // warm-up
var times = new List<double>();
var cpuTimes = new List<double>();
var process = Process.GetCurrentProcess();
for (var i = 0; i < steps; i++)
{
    process.Refresh();
    var cpuStart = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    var result = trainer.TrainStep();
    times.Add(clock.Elapsed.TotalSeconds);
    process.Refresh();
    cpuTimes.Add((process.TotalProcessorTime - cpuStart).TotalSeconds);
    if (result.Utterances != batch) throw new InvalidOperationException("batch was split");
}
var median = times.Order().ElementAt(times.Count / 2);
var cpuMedian = cpuTimes.Order().ElementAt(steps / 2);
var flops = StepFlops(config, batch, frames);
var (peak, cpuPeak) = MatmulPeak();
var parameters = model.parameters().Sum(p => p.numel());
Console.WriteLine($"torchsharp step: median {median:F3} s over {steps} steps (min {times.Min():F3}; CPU {cpuTimes.Order().ElementAt(steps / 2):F3} s), batch {batch}×{frames} frames, " +
                  $"{threads} threads, {parameters / 1e6:F2} M params, subsampling {config.Subsampling}, head ×{config.HeadUpsampling}");
Console.WriteLine($"step FLOPs {flops / 1e9:F1} G → {flops / median / 1e9:F1} GFLOP/s; dense matmul peak {peak / 1e9:F1} GFLOP/s; " +
                  $"achieved {flops / median / peak:P0} of peak (wall-clock basis)");
Console.WriteLine($"per CPU-second: step {flops / cpuMedian / 1e9:F1} GFLOP/s, matmul {cpuPeak / 1e9:F1} GFLOP/s → {flops / cpuMedian / cpuPeak:P0} of peak " +
                  "(CPU-time basis: robust when other processes share the cores)");

// Multiply-accumulates of the forward pass, ×2 for FLOPs, ×3 for forward + backward (the usual convention; it slightly
// overcounts the first convolution, whose input needs no gradient). Elementwise work is not counted.
static double StepFlops(ModelConfig c, int batch, int frames)
{
    double macs = 0;
    long t = (frames + 1) / 2, f = (c.InputDim + 1) / 2;
    macs += t * f * c.SubsamplingChannels * 9.0;
    for (var factor = 4; factor <= c.Subsampling; factor *= 2)
    {
        t = (t + 1) / 2; f = (f + 1) / 2;
        macs += t * f * c.SubsamplingChannels * (9.0 + c.SubsamplingChannels);
    }
    double d = c.DModel;
    macs += t * (double)c.SubsamplingChannels * f * d;
    var perFrame = 2 * 2 * d * c.FeedForwardDim + 4 * d * d + 3 * d * d + d * c.ConvKernel;
    macs += c.NumLayers * (t * perFrame + 2.0 * t * t * d);
    macs += t * d * c.NumUnits * c.HeadUpsampling;
    return batch * macs * 2 * 3;
}

static (double Wall, double Cpu) MatmulPeak()
{
    var process = Process.GetCurrentProcess();
    using var scope = NewDisposeScope();
    const int n = 2048;
    var a = randn(n, n);
    var b = randn(n, n);
    a.matmul(b);
    var (best, bestCpu) = (double.MaxValue, double.MaxValue);
    for (var i = 0; i < 5; i++)
    {
        process.Refresh();
        var cpuStart = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        a.matmul(b).Dispose();
        best = Math.Min(best, clock.Elapsed.TotalSeconds);
        process.Refresh();
        bestCpu = Math.Min(bestCpu, (process.TotalProcessorTime - cpuStart).TotalSeconds);
    }
    return (2.0 * n * n * n / best, 2.0 * n * n * n / bestCpu);
}
