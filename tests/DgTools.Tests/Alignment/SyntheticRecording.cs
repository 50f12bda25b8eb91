// A long "recording" made by concatenating short utterances with known word boundaries, as log-posteriors that
// behave like a CTC model's: blank almost everywhere, one spike per unit somewhere inside the unit's stretch of the
// word (sometimes two frames wide, sometimes uncertain), noise on every frame, silences between utterances.
using DgTools.Decoding;
using DgTools.Alignment;
using DgTools.Text;

namespace DgTools.Tests.Alignment;

internal sealed record TrueWord(string Text, double Start, double End);

internal sealed class SyntheticRecording
{
    public const string Letters = "abcdefghijklmnopqrstuvwxyz'";
    public const int Units = 28; // blank + 27
    public const double FrameSeconds = 0.04;

    private static readonly string[] Vocabulary =
    [
        "the", "a", "of", "to", "and", "in", "is", "it", "that", "was", "for", "on", "are", "with", "as", "be",
        "at", "one", "have", "this", "from", "by", "hot", "word", "but", "what", "some", "we", "can", "out",
        "other", "were", "all", "there", "when", "up", "use", "your", "how", "said", "each", "she", "which", "do",
        "their", "time", "if", "will", "way", "about", "many", "then", "them", "write", "would", "like", "so",
        "these", "her", "long", "make", "thing", "see", "him", "two", "has", "look", "more", "day", "could", "go",
        "come", "did", "number", "sound", "no", "most", "people", "my", "over", "know", "water", "than", "call",
        "first", "who", "may", "down", "side", "been", "now", "find", "coffee", "balloon", "committee", "letter",
        "speech", "recognition", "customer", "meeting", "tomorrow", "afternoon", "shipment", "account", "it's",
    ];

    public static readonly Alphabet English = DgTools.Text.Alphabet.For("en");

    public required CtcPosteriors Posteriors { get; init; }
    public required IReadOnlyList<TrueWord> Words { get; init; }
    /// <summary>Utterance boundaries (index of each utterance's first word).</summary>
    public required IReadOnlyList<int> UtteranceStarts { get; init; }

    public static int[] Spell(string word) => word.Select(c => Letters.IndexOf(c) + 1).ToArray();

    public static IReadOnlyList<string> RandomSentence(Random random, int words) =>
        Enumerable.Range(0, words).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]).ToList();

    /// <param name="utterances">Each utterance's words as spoken; a null word is untranscribed babble.</param>
    /// <param name="alphabet">Spell with a dgtools alphabet (blank, space, letters; a space spike after each word)
    /// instead of the plain 28-unit layout.</param>
    public static SyntheticRecording Build(Random random, IReadOnlyList<IReadOnlyList<string?>> utterances,
        Alphabet? alphabet = null)
    {
        var unitCount = alphabet?.Count ?? Units;
        var spell = alphabet is null ? Spell : (Func<string, int[]>)alphabet.Encode;
        var lastWord = utterances.Count - 1;
        var spikes = new List<(int Frame, int Unit, bool Wide, bool Unsure)>();
        var words = new List<TrueWord>();
        var starts = new List<int>();
        var frame = 5 + random.Next(20);
        for (var ui = 0; ui < utterances.Count; ui++)
        {
            var utterance = utterances[ui];
            starts.Add(words.Count);
            for (var wi = 0; wi < utterance.Count; wi++)
            {
                var word = utterance[wi];
                var units = word is null
                    ? Enumerable.Range(0, 5).Select(_ => 2 + random.Next(unitCount - 2)).ToArray()
                    : spell(word);
                // 11–17 characters per second: 1.5–2.3 frames per unit.
                var length = Math.Max(units.Length, (int)Math.Round(units.Length * (1.5 + 0.8 * random.NextDouble())));
                for (var j = 0; j < units.Length; j++)
                {
                    var from = frame + j * length / units.Length;
                    var to = frame + (j + 1) * length / units.Length;
                    spikes.Add((from + random.Next(Math.Max(1, to - from)), units[j], random.NextDouble() < 0.2,
                        random.NextDouble() < 0.1));
                }
                if (word is not null) words.Add(new TrueWord(word, frame * FrameSeconds, (frame + length) * FrameSeconds));
                frame += length + (random.NextDouble() < 0.3 ? 1 + random.Next(4) : 0);
                if (alphabet is not null && word is not null && !(ui == lastWord && wi == utterance.Count - 1))
                    spikes.Add((frame++, DgTools.Text.Alphabet.SpaceIndex, false, false));
            }
            frame += 8 + random.Next(25); // 0.3–1.3 s between utterances
        }

        var frames = frame + 10;
        var values = new float[frames * unitCount];
        var logits = new double[unitCount];
        var spikeAt = new Dictionary<int, (int Unit, bool Unsure)>();
        foreach (var s in spikes)
        {
            spikeAt[s.Frame] = (s.Unit, s.Unsure);
            if (s.Wide && !spikeAt.ContainsKey(s.Frame + 1)) spikeAt[s.Frame + 1] = (s.Unit, true);
        }
        for (var t = 0; t < frames; t++)
        {
            for (var u = 0; u < unitCount; u++) logits[u] = 1.2 * Gaussian(random);
            if (spikeAt.TryGetValue(t, out var spike))
            {
                logits[spike.Unit] += spike.Unsure ? 3.0 : 8.0;
                logits[0] += spike.Unsure ? 2.0 : 0.0;
            }
            else logits[0] += 5.0;
            var max = logits.Max();
            var sum = logits.Sum(l => Math.Exp(l - max));
            for (var u = 0; u < unitCount; u++) values[t * unitCount + u] = (float)(logits[u] - max - Math.Log(sum));
        }
        return new SyntheticRecording
        {
            Posteriors = new CtcPosteriors(values, unitCount, FrameSeconds),
            Words = words,
            UtteranceStarts = starts,
        };
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
