using DgTools.Decoding;
using DgTools.Suggestion;
using DgTools.Tests.Data;
using DgTools.Tests.TestSupport;
using Xunit;

namespace DgTools.Tests.Suggestion;

public class RecordingSuggesterTests
{
    private static RecognizedRecording Heard(string path, double seconds, params (string Word, double Confidence, bool Known)[] words) =>
        new(path, seconds, new Transcript(string.Join(' ', words.Select(w => w.Word)),
            words.Length == 0 ? 0 : words.Average(w => w.Confidence),
            words.Select((w, i) => new WordTiming(w.Word, i, i + 1, w.Confidence, new WordEvidence(w.Confidence, w.Confidence, 1, w.Known, w.Word.Length))).ToList(),
            seconds));

    private static RecognizedRecording HeardAs(string path, double seconds, params (string Word, double Confidence, string Heard)[] words) =>
        new(path, seconds, new Transcript(string.Join(' ', words.Select(w => w.Word)), words.Average(w => w.Confidence),
            words.Select((w, i) => new WordTiming(w.Word, i, i + 1, w.Confidence,
                new WordEvidence(w.Confidence, w.Confidence, 1, true, w.Word.Length, Heard: w.Heard))).ToList(), seconds));

    [Fact]
    public void Unsure_stretches_rank_first_and_a_repeated_problem_counts_only_as_far_as_it_is_new()
    {
        var recordings = new[]
        {
            Heard("sure.wav", 2, ("the", 0.95, true), ("office", 0.9, true)),
            Heard("metro-1.wav", 2, ("refill", 0.8, true), ("metro", 0.2, false)),
            Heard("metro-2.wav", 2, ("refill", 0.8, true), ("metro", 0.25, false)),
            Heard("lisin.wav", 2, ("take", 0.8, true), ("lisin", 0.3, false)),
        };
        var picks = RecordingSuggester.Rank(recordings, new SuggestionOptions());
        // metro-1 and lisin each hold one new stretch; metro-1 expects more wrong words, so it goes first.
        Assert.Equal(["metro-1.wav", "lisin.wav", "metro-2.wav", "sure.wav"], picks.Select(p => p.Recording.AudioPath));
        Assert.Equal(1, picks[0].Value, 9);
        Assert.Equal(0.5, picks[0].ValuePerSecond, 9);
        Assert.Equal(0, picks[2].Value, 9);                      // the same stretch again teaches nothing new
        Assert.Equal(["metro"], picks[2].Overlap);
        Assert.Contains("likely unknown words: 'metro'", picks[0].Why());
        Assert.Contains("discounted: resembles earlier picks' 'metro'", picks[2].Why());
    }

    [Fact]
    public void A_problem_heard_a_little_differently_is_still_a_near_duplicate()
    {
        // "metoprolol" heard three ways, and a different unknown word: the second pick is the different one.
        var recordings = new[]
        {
            Heard("a.wav", 3, ("take", 0.9, true), ("met", 0.3, true), ("for", 0.35, true), ("lol", 0.2, false)),
            Heard("b.wav", 3, ("take", 0.9, true), ("metro", 0.3, true), ("pro", 0.35, true), ("lol", 0.25, false)),
            Heard("c.wav", 3, ("take", 0.9, true), ("met", 0.35, true), ("to", 0.4, true), ("prolol", 0.3, false)),
            Heard("d.wav", 3, ("take", 0.9, true), ("sir", 0.45, true), ("trail", 0.45, false)),
        };
        var picks = RecordingSuggester.Rank(recordings, new SuggestionOptions { Count = 2 });
        Assert.Equal(["a.wav", "d.wav"], picks.Select(p => p.Recording.AudioPath));
        var stretches = RecordingSuggester.StretchesOf(recordings[0].Transcript, new SuggestionOptions());
        Assert.Equal("met for lol", Assert.Single(stretches).Text);
        Assert.True(stretches[0].Unknown);
    }

    [Fact]
    public void Stretches_are_compared_by_what_the_acoustics_spelled_not_by_the_words_forced_onto_them()
    {
        // Two speakers' "metoprolol" came out as different words but alike sounds; "gabapentin" is new.
        var recordings = new[]
        {
            HeardAs("one.wav", 2, ("met", 0.3, "meto"), ("for", 0.3, "pro"), ("all", 0.3, "lol")),
            HeardAs("two.wav", 2, ("metro", 0.3, "metop"), ("pole", 0.35, "rolol")),
            HeardAs("three.wav", 2, ("cape", 0.4, "gaba"), ("pent", 0.4, "pentin")),
        };
        var picks = RecordingSuggester.Rank(recordings, new SuggestionOptions());
        Assert.Equal(["one.wav", "three.wav", "two.wav"], picks.Select(p => p.Recording.AudioPath));
        Assert.Equal("metoprolol", RecordingSuggester.StretchesOf(recordings[0].Transcript, new SuggestionOptions())[0].Spelling);
        Assert.True(picks[2].Value < 0.3, $"{picks[2].Value}");
        Assert.Equal(1, RecordingSuggester.Resemblance("metoprolol", "metoprolol"));
        Assert.Equal(7 / 8.0, RecordingSuggester.Resemblance("rossmihe", "throssmihe"), 9);   // inside, but not at its start
        Assert.Equal(0, RecordingSuggester.Resemblance("delta", "epsilon"));
    }

    [Fact]
    public void Budgets_stop_the_list_and_recordings_compete_by_value_per_second()
    {
        var recordings = new[]
        {
            Heard("long.wav", 3600, ("alpha", 0.1, true), ("beta", 0.1, true), ("gamma", 0.1, true)),
            Heard("short.wav", 360, ("delta", 0.2, true)),
            Heard("other.wav", 360, ("epsilon", 0.4, true)),
        };
        Assert.Equal(2, RecordingSuggester.Rank(recordings, new SuggestionOptions { Count = 2 }).Count);
        Assert.Equal("short.wav", RecordingSuggester.Rank(recordings, new SuggestionOptions { Count = 1 })[0].Recording.AudioPath);
        var byHour = RecordingSuggester.Rank(recordings, new SuggestionOptions { Hours = 0.25 });
        Assert.Equal(["short.wav", "other.wav"], byHour.Select(p => p.Recording.AudioPath));
        // A clip shorter than MinSeconds is valued as if it lasted MinSeconds.
        var clips = new[] { Heard("tiny.wav", 0.2, ("xylo", 0.4, true)), Heard("second.wav", 1, ("yacht", 0.3, true)) };
        Assert.Equal("second.wav", RecordingSuggester.Rank(clips, new SuggestionOptions())[0].Recording.AudioPath);
    }

    [Fact]
    public void The_command_lists_only_recordings_without_transcripts_and_says_why()
    {
        using var dir = new TempDirectory();
        var resources = dir.Combine("res");
        var set = Path.Combine(resources, "dgdatasets", "en", "calls");
        for (int i = 0; i < 5; i++) TempResources.Pair(set, $"t{i}", "call the office", seed: i);
        for (int i = 0; i < 3; i++)
        {
            TempResources.Pair(set, $"u{i}", "x", seed: 10 + i);
            File.Delete(Path.Combine(set, $"u{i}.txt"));
        }
        Assert.Equal(0, CliRunner.Run(dir.Path, resources, "init", "m.dg", "--size", "tiny", "--seed", "1").ExitCode);

        var r = CliRunner.Run(dir.Path, resources, "suggest", "m.dg", "--count", "2", "-o", "next.lst");
        Assert.True(r.ExitCode == 0, r.Err);
        var listed = File.ReadAllLines(dir.Combine("next.lst"));
        Assert.Equal(2, listed.Length);
        Assert.All(listed, l => Assert.Matches(@"/u\d\.wav$", l));
        var report = File.ReadAllText(dir.Combine("next.md"));
        Assert.Contains("2 of 3 untranscribed recordings", report);
        Assert.Contains("uncalibrated", report);

        Assert.Equal(2, CliRunner.Run(dir.Path, resources, "suggest", "m.dg", "--count", "2", "--hours", "1").ExitCode);
        foreach (var f in Directory.GetFiles(set, "u*.wav")) File.Delete(f);
        var none = CliRunner.Run(dir.Path, resources, "suggest", "m.dg");
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("no untranscribed recordings", none.Err);
    }
}
