using DgTools.Audio;
using DgTools.RealSpeech;
using DgTools.RealSpeech.Corpus;
using DgTools.RealSpeech.Sources;
using DgTools.Tests.TestSupport;
using Xunit;

namespace DgTools.Tests.RealSpeech;

/// <summary>The corpus layout: training and development sets split by speaker, licences, manifest, resumability.</summary>
public class CorpusBuilderTests
{
    private sealed class FakeSource(string name, params SpeechClip[] clips) : ISpeechSource
    {
        public string Name => name;
        public string LicenseText => $"licence of {name}";
        public IEnumerable<SpeechClip> Clips() => clips;
    }

    private static SpeechClip Clip(string id, string speaker, string text, double seconds = 1.0, int rate = 11025) =>
        new("game", id, speaker, text, () => ClipAudio.FromSamples(Tone(seconds, rate), rate));

    private static float[] Tone(double seconds, int rate) =>
        Enumerable.Range(0, (int)(seconds * rate)).Select(i => 0.3f * MathF.Sin(i * 0.05f)).ToArray();

    [Fact]
    public void Held_out_speakers_go_only_to_the_development_set_and_every_set_has_its_licence()
    {
        using var dir = new TempDirectory();
        var source = new FakeSource("game", Clip("a1", "ANNA", "Hello THERE."), Clip("b1", "BOB", "Good morning."),
            Clip("b2", "BOB", "Hmm."), Clip("a2", "ANNA", "...see you.", seconds: 0.05));
        var options = new BuildOptions("en", dir.Path, DevSplit.Of(("game", ["BOB"])));

        var rows = new CorpusBuilder(options, _ => { }).Build([source]);

        // b2 is one interjection, a2 shorter than the minimum: neither is written.
        Assert.Equal([("train", "ANNA", "a1", "hello there"), ("dev", "BOB", "b1", "good morning")],
            rows.Select(r => (r.Split, r.Speaker, r.Id, r.Text)).OrderByDescending(r => r.Split));
        var train = dir.Combine("dgdatasets", "real-game", "ANNA", "a1");
        var dev = dir.Combine("heldout", "real-dev", "game", "BOB", "b1");
        Assert.Equal("hello there\n", File.ReadAllText(train + ".txt"));
        Assert.Equal("good morning\n", File.ReadAllText(dev + ".txt"));
        var audio = AudioDecoder.Decode(train + ".wav");
        Assert.Equal(11025, audio.SampleRate);
        Assert.Equal(11025, audio.Samples.Length);
        Assert.Equal("licence of game", File.ReadAllText(dir.Combine("dgdatasets", "real-game", "LICENSE")));
        Assert.Equal("licence of game", File.ReadAllText(dir.Combine("heldout", "real-dev", "game", "LICENSE")));
        Assert.False(Directory.Exists(dir.Combine("dgdatasets", "real-game", "BOB")));
        var manifest = File.ReadAllLines(dir.Combine("manifest.tsv"));
        Assert.Equal(3, manifest.Length);
        Assert.Contains("game\ttrain\tANNA\ta1\t1.000\tdgdatasets/real-game/ANNA/a1.wav\tHello there.\thello there", manifest);
    }

    [Fact]
    public void A_rebuild_reuses_written_clips_and_removes_those_of_a_speaker_moved_to_the_development_set()
    {
        using var dir = new TempDirectory();
        int loads = 0;
        SpeechClip Counted(string id, string speaker) =>
            new("game", id, speaker, "Fine words.", () => { loads++; return ClipAudio.FromSamples(Tone(0.5, 8000), 8000); });
        var source = new FakeSource("game", Counted("a1", "ANNA"), Counted("b1", "BOB"));

        new CorpusBuilder(new BuildOptions("en", dir.Path, DevSplit.None), _ => { }).Build([source]);
        Assert.Equal(2, loads);
        Assert.True(File.Exists(dir.Combine("dgdatasets", "real-game", "BOB", "b1.wav")));

        new CorpusBuilder(new BuildOptions("en", dir.Path, DevSplit.Of(("game", ["BOB"]))), _ => { }).Build([source]);

        Assert.Equal(3, loads); // ANNA's clip was reused; BOB's was written again in its new place
        Assert.False(File.Exists(dir.Combine("dgdatasets", "real-game", "BOB", "b1.wav")));
        Assert.False(File.Exists(dir.Combine("dgdatasets", "real-game", "BOB", "b1.txt")));
        Assert.False(Directory.Exists(dir.Combine("dgdatasets", "real-game", "BOB"))); // no empty data set left behind
        Assert.True(File.Exists(dir.Combine("heldout", "real-dev", "game", "BOB", "b1.wav")));
    }

    [Fact]
    public void Rebuilding_one_source_keeps_the_other_sources_in_the_manifest()
    {
        using var dir = new TempDirectory();
        var options = new BuildOptions("en", dir.Path, DevSplit.None);
        var game = new FakeSource("game", Clip("a1", "ANNA", "Good morning."));
        var other = new FakeSource("other", Clip("o1", "OLGA", "Good evening."));
        new CorpusBuilder(options, _ => { }).Build([game, other]);

        new CorpusBuilder(options, _ => { }).Build([new FakeSource("game", Clip("a2", "ANNA", "Good night."))]);

        var manifest = File.ReadAllLines(dir.Combine("manifest.tsv"));
        Assert.Equal(["game\ta2", "other\to1"], manifest.Skip(1).Select(l => string.Join('\t', l.Split('\t')[0], l.Split('\t')[3])));
        Assert.False(File.Exists(dir.Combine("dgdatasets", "real-game", "ANNA", "a1.wav"))); // no longer produced: removed
        Assert.Contains("other\ttrain\t1\t", File.ReadAllText(dir.Combine("stats.tsv")));
    }

    [Fact]
    public void Undecodable_audio_is_a_warning_and_a_skip()
    {
        using var dir = new TempDirectory();
        var bad = new SpeechClip("game", "x1", "ANNA", "Some words.", () => ClipAudio.FromEncoded([1, 2, 3, 4, 5, 6, 7, 8]));
        var lines = new List<string>();

        var rows = new CorpusBuilder(new BuildOptions("en", dir.Path, DevSplit.None), lines.Add)
            .Build([new FakeSource("game", bad, Clip("a1", "ANNA", "Good."))]);

        Assert.Single(rows);
        Assert.Contains(lines, l => l.StartsWith("warning: game x1:", StringComparison.Ordinal));
        Assert.False(File.Exists(dir.Combine("dgdatasets", "real-game", "ANNA", "x1.wav")));
    }
}
