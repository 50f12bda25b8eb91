// Long "calls" made of real spoken digits (../shared/data/fsdd-digits, 8 kHz): sentences of 3–5 digits with short
// pauses between digits and longer ones between sentences, written as wav + transcript. One sentence's transcript
// can be replaced by words that were never spoken. The model in Fixtures/Alignment/digits-aligner.dg was trained on
// other takes of the same speaker (bench/alignment/make-digits-aligner.sh), so it can align these.
using DgTools.Audio;
using DgTools.Tests.TestSupport;

namespace DgTools.Tests.Alignment;

internal static class DigitCalls
{
    private static readonly string[] Names = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

    public static string AlignerModel => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Alignment", "digits-aligner.dg");

    /// <param name="wrongSentence">Index of the sentence whose transcript is replaced by <paramref name="wrongText"/>.</param>
    /// <returns>The transcript as written.</returns>
    public static string Write(string stemPath, int sentences, int seed, IReadOnlyList<int> takes, int? wrongSentence = null,
        string wrongText = "please call me back tomorrow")
    {
        var random = new Random(seed);
        var samples = new List<float>();
        void Silence(double seconds) => samples.AddRange(new float[(int)(seconds * 8000)]);
        var transcript = new List<string>();
        Silence(0.3);
        for (var s = 0; s < sentences; s++)
        {
            var digits = Enumerable.Range(0, 3 + random.Next(3)).Select(_ => random.Next(10)).ToList();
            foreach (var d in digits)
            {
                var take = takes[random.Next(takes.Count)];
                samples.AddRange(AudioDecoder.Decode(Path.Combine(DigitsResources.SharedDigits, $"{d}_george_{take}.wav")).Samples);
                Silence(0.05 + 0.2 * random.NextDouble());
            }
            Silence(0.5 + 0.5 * random.NextDouble());
            transcript.Add(s == wrongSentence ? wrongText : string.Join(' ', digits.Select(d => Names[d])));
        }
        TestWav.Write(stemPath + ".wav", [.. samples], 8000);
        var text = string.Join(' ', transcript);
        File.WriteAllText(stemPath + ".txt", text + "\n");
        return text;
    }
}
