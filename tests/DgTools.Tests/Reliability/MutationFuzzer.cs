// A seeded random-mutation fuzzer (SharpFuzz needs AFL instrumentation of the assembly, which this build does not
// set up; see docs/reliability.md). It mutates seed inputs — bit flips, random bytes, "interesting" integers written
// over length fields, truncation, duplication, splicing — and runs a target on each. A target may reject input only
// with a DgToolsException; anything else is a crash, saved to a file so it can become a regression test.
namespace DgTools.Tests.Reliability;

public sealed record FuzzResult(long Executions, long Rejections, IReadOnlyList<(byte[] Input, Exception Error)> Crashes);

public static class MutationFuzzer
{
    private static readonly long[] Interesting =
        [0, 1, 2, 7, 8, 16, 127, 128, 255, 256, 1024, 65535, 65536, int.MaxValue, uint.MaxValue, long.MaxValue, -1, 100_000_001];

    /// <summary>Runs mutated inputs until the time budget is spent, but never fewer than <paramref name="minExecutions"/>
    /// (a loaded machine runs longer instead of testing less) nor more than <paramref name="maxExecutions"/>.</summary>
    public static FuzzResult Run(IReadOnlyList<byte[]> seeds, Action<byte[]> target, int seed, TimeSpan budget,
        long maxExecutions = long.MaxValue, long minExecutions = 0)
    {
        var random = new Random(seed);
        var crashes = new List<(byte[], Exception)>();
        long executions = 0, rejections = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((clock.Elapsed < budget || executions < minExecutions) && executions < maxExecutions)
        {
            var input = Mutate(seeds[random.Next(seeds.Count)], seeds, random);
            executions++;
            try { target(input); }
            catch (DgToolsException) { rejections++; }
            catch (Exception e)
            {
                crashes.Add((input, e));
                if (crashes.Count >= 10) break;
            }
        }
        return new FuzzResult(executions, rejections, crashes);
    }

    public static byte[] Mutate(byte[] original, IReadOnlyList<byte[]> pool, Random random)
    {
        var data = new List<byte>(original);
        var rounds = 1 + random.Next(4);
        for (var r = 0; r < rounds; r++)
        {
            switch (random.Next(8))
            {
                case 0 when data.Count > 0: // flip a bit
                    var i = random.Next(data.Count);
                    data[i] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when data.Count > 0: // random byte
                    data[random.Next(data.Count)] = (byte)random.Next(256);
                    break;
                case 2 when data.Count >= 8: // interesting integer over 1, 2, 4 or 8 bytes
                    var value = Interesting[random.Next(Interesting.Length)];
                    var width = new[] { 1, 2, 4, 8 }[random.Next(4)];
                    var at = random.Next(Math.Max(1, data.Count - width));
                    var bytes = BitConverter.GetBytes(value);
                    for (var k = 0; k < width && at + k < data.Count; k++) data[at + k] = bytes[k];
                    break;
                case 3 when data.Count > 0: // truncate
                    var keep = random.Next(data.Count);
                    data.RemoveRange(keep, data.Count - keep);
                    break;
                case 4 when data.Count > 0: // delete a chunk
                    var start = random.Next(data.Count);
                    data.RemoveRange(start, Math.Min(data.Count - start, 1 + random.Next(16)));
                    break;
                case 5 when data.Count > 0: // duplicate a chunk
                    var from = random.Next(data.Count);
                    var chunk = data.GetRange(from, Math.Min(data.Count - from, 1 + random.Next(64)));
                    data.InsertRange(random.Next(data.Count), chunk);
                    break;
                case 6: // splice with another seed
                    var other = pool[random.Next(pool.Count)];
                    if (other.Length == 0) break;
                    var cut = random.Next(Math.Max(1, data.Count));
                    var take = random.Next(other.Length);
                    data.RemoveRange(cut, data.Count - cut);
                    data.AddRange(other.Skip(take));
                    break;
                default: // insert random bytes, including ASCII structure characters
                    var structural = "{}[]\":,0123456789-.eE \n\\";
                    for (var n = random.Next(1, 8); n > 0; n--)
                    {
                        var b = random.Next(2) == 0 ? (byte)structural[random.Next(structural.Length)] : (byte)random.Next(256);
                        data.Insert(random.Next(data.Count + 1), b);
                    }
                    break;
            }
        }
        return data.ToArray();
    }

    /// <summary>How long a fuzz test runs: DGTOOLS_FUZZ_SECONDS, else the short CI budget.</summary>
    public static TimeSpan Budget(double ciSeconds)
    {
        var fromEnv = Environment.GetEnvironmentVariable("DGTOOLS_FUZZ_SECONDS");
        return TimeSpan.FromSeconds(double.TryParse(fromEnv, out var s) && s > 0 ? s : ciSeconds);
    }
}
