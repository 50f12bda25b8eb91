using DgTools.Configuration;
using DgTools.Model;
using DgTools.Tests.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace DgTools.Tests.Reliability;

/// <summary>Short fuzz runs in CI (a few seconds each); DGTOOLS_FUZZ_SECONDS=N runs each target N seconds.</summary>
public class FuzzTests(ITestOutputHelper output)
{
    private static byte[] ModelBytes(DgModel model)
    {
        using var dir = new TempDirectory();
        ModelFile.Write(dir.Combine("m.dg"), model);
        return File.ReadAllBytes(dir.Combine("m.dg"));
    }

    private void AssertNoCrash(string name, FuzzResult result)
    {
        output.WriteLine($"{name}: {result.Executions} executions, {result.Rejections} rejected, {result.Crashes.Count} crashes");
        if (result.Crashes.Count == 0) return;
        var dir = Path.Combine(Path.GetTempPath(), "dgtools-fuzz-crashes");
        Directory.CreateDirectory(dir);
        var (input, error) = result.Crashes[0];
        var file = Path.Combine(dir, $"{name}-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(file, input);
        Assert.Fail($"{name}: {error.GetType().Name}: {error.Message} (input saved to {file})\n{error.StackTrace}");
    }

    [Fact]
    public void Model_file_reader_rejects_or_accepts_but_never_crashes()
    {
        var seeds = new List<byte[]>
        {
            ModelBytes(FormatSamples.Tiny()),
            ModelBytes(FormatSamples.Tiny(trainable: false, deployable: true, language: "ko")),
        };
        var result = MutationFuzzer.Run(seeds, bytes => ModelFile.Parse(bytes, "fuzz.dg"), seed: 1, MutationFuzzer.Budget(4));
        Assert.True(result.Executions > 1000, $"only {result.Executions} executions");
        AssertNoCrash("dg-reader", result);
    }

    [Fact]
    public void Settings_reader_rejects_or_accepts_but_never_crashes()
    {
        var seeds = new List<byte[]>
        {
            "[license]\n\nkey = \"0123\"\nserver_url = \"https://x\"\n"u8.ToArray(),
            "[runtime]\ndevice = \"cpu\"\nthreads = 2\n"u8.ToArray(),
        };
        var result = MutationFuzzer.Run(seeds,
            bytes => Settings.Parse(System.Text.Encoding.UTF8.GetString(bytes), "fuzz.toml"), seed: 2, MutationFuzzer.Budget(2));
        AssertNoCrash("settings-reader", result);
    }
}
