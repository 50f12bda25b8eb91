// All tests run torch with one intra-op thread, set once when the test assembly loads. Two reasons, both measured:
// on a busy 2-core machine two threads make a tiny model's step ~25× slower (they wait for each other: 300 steps of
// the digits test took 264 s with 2 threads at load 18, 17 s with 1), and changing the thread count while other
// tests' threads are computing is a race inside libtorch (it clears oneDNN caches), so no test should change it.
using System.Runtime.CompilerServices;

namespace DgTools.Tests.Training;

internal static class SingleTorchThread
{
    [ModuleInitializer]
    internal static void Set() => TorchSharp.torch.set_num_threads(1);
}
