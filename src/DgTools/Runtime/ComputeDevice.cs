using System.Runtime.InteropServices;
using TorchSharp;

namespace DgTools.Runtime;

/// <summary>Turns the user's --device / --threads choice into a torch device and thread count.</summary>
public static class ComputeDevice
{
    // Runs once, before the first device or thread choice: the runtime guarantees it, so no flag is kept.
    static ComputeDevice() => QuietNnpack();

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

    /// <summary>
    /// libtorch asks NNPACK about every convolution oneDNN does not take (one thread, small batches), and on CPUs
    /// NNPACK does not support it logs "Could not initialize NNPACK! Reason: Unsupported hardware." each time:
    /// hundreds of lines a minute on stderr. oneDNN and the native kernels do the work either way, so NNPACK is switched
    /// off (at::globalContext().setUserEnabledNNPACK(false)); where the entry points are not found (another
    /// platform's C++ name mangling), nothing changes.
    /// </summary>
    private static void QuietNnpack()
    {
        _ = torch.get_num_threads();   // loads libtorch
        try { LibTorch.SetUserEnabledNnpack(LibTorch.GlobalContext(), false); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }

    private static class LibTorch
    {
        [DllImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
        public static extern IntPtr GlobalContext();

        [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
        public static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);
    }
}
