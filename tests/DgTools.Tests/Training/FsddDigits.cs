// A few spoken digits from ../shared/data/fsdd-digits (8 kHz, 16-bit mono wav; transcript in the .txt beside it) as
// training utterances with character labels and a simple log-mel computed with torch here, so the learning tests do
// not depend on the audio pipeline.
using DgTools.Tests.TestSupport;
using DgTools.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DgTools.Tests.Training;

internal static class FsddDigits
{
    public const int MelBins = 40;
    public const string Letters = "efghinorstuvwxz"; // every letter of "zero" … "nine"

    public static string Directory => Path.Combine(RepoPaths.Shared, "data", "fsdd-digits");

    /// <summary>Unit 0 is blank; letters are 1…15.</summary>
    public static int NumUnits => Letters.Length + 1;

    public static int[] Encode(string text) => text.Trim().Select(c => Letters.IndexOf(c) + 1).ToArray();

    public static string Decode(IEnumerable<int> units) => new(units.Select(u => u >= 1 && u <= Letters.Length ? Letters[u - 1] : '?').ToArray());

    /// <summary>Recordings <paramref name="takes"/> of every digit 0–9 by <paramref name="speaker"/>.</summary>
    public static List<(Utterance Utterance, string Text)> Load(string speaker, IEnumerable<int> takes)
    {
        var result = new List<(Utterance, string)>();
        foreach (var take in takes)
            for (var digit = 0; digit <= 9; digit++)
            {
                var stem = Path.Combine(Directory, $"{digit}_{speaker}_{take}");
                var text = File.ReadAllText(stem + ".txt").Trim();
                var (features, frames) = LogMel(ReadPcm16(stem + ".wav"));
                result.Add((new Utterance(features, frames, Encode(text)), text));
            }
        return result;
    }

    private static float[] ReadPcm16(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var position = 12;
        while (position + 8 <= bytes.Length)
        {
            var id = System.Text.Encoding.ASCII.GetString(bytes, position, 4);
            var size = BitConverter.ToInt32(bytes, position + 4);
            if (id == "data")
            {
                var count = Math.Min(size, bytes.Length - position - 8) / 2;
                var samples = new float[count];
                for (var i = 0; i < count; i++) samples[i] = BitConverter.ToInt16(bytes, position + 8 + 2 * i) / 32768f;
                return samples;
            }
            position += 8 + size + (size & 1);
        }
        throw new InvalidDataException($"no data chunk in {path}");
    }

    /// <summary>Log-mel, 25 ms Hann window, 10 ms hop, 40 bins, per-utterance mean/variance normalised.</summary>
    private static (float[] Features, int Frames) LogMel(float[] samples)
    {
        const int sampleRate = 8000, window = 200, hop = 80, fft = 256;
        using var scope = NewDisposeScope();
        var wave = tensor(samples);
        var spectrum = stft(wave, fft, hop, window, hann_window(window), center: true, return_complex: true).abs().pow(2); // (129, T)
        var mel = (spectrum.T.matmul(MelFilters(fft / 2 + 1, sampleRate)) + 1e-6).log(); // (T, 40)
        mel = (mel - mel.mean([0], keepdim: true)) / (mel.std(0, keepdim: true) + 1e-5);
        return (mel.contiguous().data<float>().ToArray(), (int)mel.shape[0]);
    }

    private static Tensor MelFilters(int bins, int sampleRate)
    {
        static double ToMel(double hz) => 1127 * Math.Log(1 + hz / 700);
        var (low, high) = (ToMel(20), ToMel(sampleRate / 2.0));
        var filters = new float[bins * MelBins];
        for (var m = 0; m < MelBins; m++)
        {
            var (left, centre, right) = (low + (high - low) * m / (MelBins + 1), low + (high - low) * (m + 1) / (MelBins + 1), low + (high - low) * (m + 2) / (MelBins + 1));
            for (var k = 0; k < bins; k++)
            {
                var mel = ToMel(k * sampleRate / 2.0 / (bins - 1));
                var w = mel < left || mel > right ? 0 : mel <= centre ? (mel - left) / (centre - left) : (right - mel) / (right - centre);
                filters[k * MelBins + m] = (float)w;
            }
        }
        return tensor(filters, [bins, MelBins]);
    }
}
