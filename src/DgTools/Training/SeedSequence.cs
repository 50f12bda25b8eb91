// Every random choice in training draws from a generator seeded by (run seed, purpose, step): no generator state has
// to be saved for resume, and a resumed run makes exactly the choices the uninterrupted run would have made.
namespace DgTools.Training;

public static class SeedSequence
{
    public const int Batches = 1, Augmentation = 2, Dropout = 3, Replay = 4;

    /// <summary>A 31-bit seed (System.Random's range) mixed from the inputs with SplitMix64.</summary>
    public static int Derive(long seed, int purpose, long counter)
    {
        var x = Mix((ulong)seed ^ Mix((ulong)purpose * 0x9E3779B97F4A7C15UL ^ Mix((ulong)counter)));
        return (int)(x & 0x7FFFFFFF);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
