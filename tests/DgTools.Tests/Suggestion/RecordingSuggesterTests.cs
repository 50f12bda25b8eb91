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
        // Stretches only (word pairs are worth nothing here): a recording costs its 2 s plus 2 s of handling.
        var picks = RecordingSuggester.Rank(recordings, new SuggestionOptions { PairValue = 0 });
        // metro-1 and lisin each hold one new stretch; metro-1 expects more wrong words, so it goes first.
        Assert.Equal(["metro-1.wav", "lisin.wav", "metro-2.wav", "sure.wav"], picks.Select(p => p.Recording.AudioPath));
        Assert.Equal(1, picks[0].Value, 9);
        Assert.Equal(0.25, picks[0].ValuePerSecond, 9);
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
    }

    [Fact]
    public void A_recording_costs_its_seconds_plus_a_fixed_overhead_so_a_sub_second_clip_is_not_cheap_for_being_short()
    {
        // 0.5 s with one stretch (2 pairs): (1 + 0.5) / 2.5 = 0.6 per second; 2 s with two (4 pairs): 3 / 4 = 0.75.
        // Floored at one second instead, both would be worth 1.5 per second and the clip, with more expected wrong words per
        // second, would win the tie.
        var clips = new[]
        {
            Heard("tiny.wav", 0.5, ("xylo", 0.2, true)),
            Heard("two.wav", 2, ("yacht", 0.3, true), ("is", 0.9, true), ("zebra", 0.3, true)),
        };
        var picks = RecordingSuggester.Rank(clips, new SuggestionOptions());
        Assert.Equal(["two.wav", "tiny.wav"], picks.Select(p => p.Recording.AudioPath));
        Assert.Equal(4, picks[0].Cost, 9);
        Assert.Equal(0.75, picks[0].ValuePerSecond, 9);
        Assert.Equal(2.5, picks[1].Cost, 9);
    }

    [Fact]
    public void A_well_heard_new_sentence_outranks_a_near_copy_of_a_picked_one()
    {
        // The frame "is … covered by my insurance" is picked with "lisin"; a second speaker's "lysin" in the same frame
        // adds little (a near-duplicate stretch, no new pair); a sentence heard well, with words in a new order, adds
        // six new pairs (1.5) although it has nothing unsure.
        var recordings = new[]
        {
            Heard("lisin.wav", 3, ("is", 0.9, true), ("lisin", 0.2, false), ("covered", 0.9, true), ("by", 0.9, true), ("my", 0.9, true), ("insurance", 0.9, true)),
            Heard("lysin.wav", 3, ("is", 0.9, true), ("lysin", 0.2, false), ("covered", 0.9, true), ("by", 0.9, true), ("my", 0.9, true), ("insurance", 0.9, true)),
            Heard("hours.wav", 3, ("when", 0.9, true), ("does", 0.9, true), ("the", 0.9, true), ("pharmacy", 0.9, true), ("open", 0.9, true)),
        };
        var picks = RecordingSuggester.Rank(recordings, new SuggestionOptions());
        Assert.Equal(["lisin.wav", "hours.wav", "lysin.wav"], picks.Select(p => p.Recording.AudioPath));
        Assert.Equal(7, picks[0].NewPairs);
        Assert.Equal(1 + 7 * 0.25, picks[0].Value, 9);
        Assert.Equal(6, picks[1].NewPairs);
        Assert.Equal(0, picks[1].NewStretches, 9);
        Assert.Equal(0, picks[2].NewPairs);
        Assert.Equal(1 - 2 / 5.0, picks[2].NewStretches, 9);     // "lysin" shares "sin", "in$" of five triples with "lisin"
        Assert.Contains("0.0 new unsure stretches and 6 new word pairs", picks[1].Why());
        // Ranked by unsure stretches alone, the near-copy would come second.
        Assert.Equal("lysin.wav", RecordingSuggester.Rank(recordings, new SuggestionOptions { PairValue = 0 })[1].Recording.AudioPath);

        // One placeholder per stretch: "met for all" unsure in a row is one "…".
        var frame = RecordingSuggester.FramePairs(
            Heard("x.wav", 2, ("Take", 0.9, true), ("met", 0.3, true), ("for", 0.3, true), ("all", 0.2, false), ("daily", 0.8, true)).Transcript,
            new SuggestionOptions());
        Assert.True(frame.SetEquals(["<s> take", "take …", "… daily", "daily </s>"]), string.Join(" | ", frame));
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
