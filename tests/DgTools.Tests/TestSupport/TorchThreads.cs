using System.Runtime.CompilerServices;

namespace DgTools.Tests.TestSupport;

/// <summary>
/// Test classes run in parallel in one process, and libtorch's thread count must not change while other threads run
/// torch ops (that corrupted tensors here: "Unknown scalar type" mid-training). So it is set once, before any test:
/// one intra-op thread per test, the test runner's parallelism using the cores.
/// </summary>
internal static class TorchThreads
{
    [ModuleInitializer]
    internal static void SetOnce() => TorchSharp.torch.set_num_threads(1);
}
