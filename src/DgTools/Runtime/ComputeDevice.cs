using TorchSharp;

namespace DgTools.Runtime;

/// <summary>Turns the user's --device / --threads choice into a torch device and thread count.</summary>
public static class ComputeDevice
{
    public static torch.Device Resolve(string choice) => choice switch
    {
        "cpu" => torch.CPU,
        "cuda" when torch.cuda.is_available() => torch.CUDA,
        "cuda" => throw new ConfigError("--device cuda was asked for, but this build or machine has no CUDA; use --device cpu"),
        "auto" => torch.cuda.is_available() ? torch.CUDA : torch.CPU,
        _ => throw new ConfigError($"unknown device '{choice}'; use auto, cpu or cuda"),
    };

    /// <summary>Sets torch's intra-op threads. Changing them while other threads run torch ops is unsafe (libtorch),
    /// so an unchanged value is left alone; processes that run several trainings at once set it once at start-up.</summary>
    public static void SetThreads(int threads)
    {
        // Only on a change: set_num_threads clears libtorch's oneDNN caches, a race with other threads computing
        // (seen as "Expected false to be true" when in-process CLI runs overlap in the tests).
        if (threads > 0 && torch.get_num_threads() != threads) torch.set_num_threads(threads);
    }
}
