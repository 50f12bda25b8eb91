using System.Text;
using DgTools.Audio;
using DgTools.Configuration;
using DgTools.Data;
using DgTools.Model;
using DgTools.Text;
using DgTools.Tests.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace DgTools.Tests.Reliability;

/// <summary>Short fuzz runs in CI (a few seconds each); DGTOOLS_FUZZ_SECONDS=N runs each target N seconds. Targets: the
/// .dg reader, the settings reader, the WAV reader (through AudioDecoder as the product calls it, and raw), the
/// transcript normaliser of every language, and the split-file reader. docs/reliability.md records the long runs.</summary>
[Trait("Tier", "Slow")]   // training runs, processes or timed trials: the full suite only (not scripts/test.sh --fast)
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
        var result = MutationFuzzer.Run(seeds, bytes => ModelFile.Parse(bytes, "fuzz.dg"), seed: 1, MutationFuzzer.Budget(4), minExecutions: 1001);
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

    private static readonly byte[][] WavSeeds =
    [
        Wav.Tone(0.02),
        Wav.Floats(0.5f, -0.25f, 0f, 1f, -1f, 0.125f),
        Wav.Build(1, 2, 8000, 8, [1, 2, 3, 4, 128, 255, 0, 7]),
        Wav.Build(1, 1, 44100, 24, new byte[30]),
        Wav.Build(6, 1, 8000, 8, [0x55, 0xd5, 0x2a, 0xaa]),
        Wav.Build(7, 1, 8000, 8, [0xff, 0x7f, 0x00, 0x80]),
        Wav.Build(3, 1, 16000, 64, new byte[32]),
        Wav.Build(1, 1, 16000, 16, new byte[20], dataSize: 0xFFFFFFFF),
    ];

    [Fact]
    public void Wav_decoding_rejects_or_accepts_but_never_crashes()
    {
        // The product path: AudioDecoder sniffs, decodes and turns decoder exceptions into AudioError. Non-WAV bytes
        // would go to ffmpeg (a process per input), so they are skipped here.
        var result = MutationFuzzer.Run(WavSeeds, bytes =>
        {
            if (!WavReader.LooksLikeWav(bytes)) return;
            var audio = AudioDecoder.Decode("fuzz.wav", bytes);
            // Float WAV may legitimately exceed [-1, 1]; what must never come out is nothing, NaN or infinity.
            if (audio.Samples.Length == 0 || audio.Samples.Any(x => !float.IsFinite(x)))
                throw new InvalidOperationException("decoded no samples, or a NaN or infinite one");
        }, seed: 3, MutationFuzzer.Budget(4), minExecutions: 1001);
        AssertNoCrash("wav-decoder", result);
    }

    [Fact]
    public void Raw_wav_reader_throws_only_invalid_data()
    {
        // AudioDecoder also catches IndexOutOfRange and friends; this target proves the reader itself needs no such net.
        var result = MutationFuzzer.Run(WavSeeds, bytes =>
        {
            try
            {
                WavReader.ReadHeader(bytes.AsSpan(0, Math.Min(bytes.Length, 4096)), bytes.Length);
                WavReader.Decode(bytes);
            }
            catch (InvalidDataException e) { throw new AudioError(e.Message); }
        }, seed: 4, MutationFuzzer.Budget(3));
        AssertNoCrash("wav-reader-raw", result);
    }

    [Fact]
    public void Transcript_normalisers_never_throw_and_their_output_encodes()
    {
        var seeds = new[]
        {
            "Hello, World! It's 3:45 p.m. \u2014 caf\u00e9 na\u00efve \"quoted\" 42% $5\r\n",
            "\u00bfD\u00f3nde est\u00e1 el ba\u00f1o? \u00d1and\u00fa, 1.234,5 \u20ac",
            "Het is 's avonds \u00e9\u00e9n uur; Cura\u00e7ao ij IJ",
            "\uc548\ub155\ud558\uc138\uc694 \uc138\uacc4 123 abc \u1100\u1161",
            "\ufeff\u200b\u00a0tab\there \ud83d\ude00 \u0301e",
        }.Select(Encoding.UTF8.GetBytes).ToList();
        var normalizers = Languages.Supported.Select(TextNormalizer.For).ToList();
        var result = MutationFuzzer.Run(seeds, bytes =>
        {
            var text = Encoding.UTF8.GetString(bytes);
            foreach (var n in normalizers)
            {
                var once = n.Normalize(text, _ => { });
                n.Alphabet.Encode(once); // throws ArgumentException if the output has a character the model cannot write
                var twice = n.Normalize(once, _ => { });
                if (twice != once) throw new InvalidOperationException($"{n.Language}: not idempotent: '{once}' -> '{twice}'");
            }
        }, seed: 5, MutationFuzzer.Budget(4), minExecutions: 1001);
        AssertNoCrash("normalizer", result);
    }

    [Fact]
    public void Split_file_reader_rejects_or_accepts_but_never_crashes()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("datasetsplits.meta_jm");
        var seeds = new[]
        {
            "dgtools-datasetsplits 1\ntrain\tdigits/0_jackson_10\nvalidate\tdigits/0_jackson_1\ntrain\ts/sub/\u00f1 a\n",
            "dgtools-datasetsplits 1\n",
            "dgtools-datasetsplits 1\r\ntrain\ta/b\r\n\nvalidate\tc\n",
        }.Select(Encoding.UTF8.GetBytes).ToList();
        var result = MutationFuzzer.Run(seeds, bytes =>
        {
            File.WriteAllBytes(path, bytes);
            var registry = SplitRegistry.Load(path);
            registry.Save(); // what was accepted must save and read back the same
            var again = SplitRegistry.Load(path);
            if (!registry.Roles.OrderBy(r => r.Key, StringComparer.Ordinal).SequenceEqual(again.Roles.OrderBy(r => r.Key, StringComparer.Ordinal)))
                throw new InvalidOperationException("roles changed on a save and reload");
        }, seed: 6, MutationFuzzer.Budget(3), minExecutions: 301);
        AssertNoCrash("split-reader", result);
    }
}
