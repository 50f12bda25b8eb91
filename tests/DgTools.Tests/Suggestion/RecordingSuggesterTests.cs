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

    [Fact]
    public void Unsure_and_unknown_words_rank_first_and_a_repeated_problem_is_discounted()
    {
        var recordings = new[]
        {
            Heard("sure.wav", 2, ("the", 0.95, true), ("office", 0.9, true)),
            Heard("metro-1.wav", 2, ("refill", 0.8, true), ("metro", 0.2, false)),
            Heard("metro-2.wav", 2, ("refill", 0.8, true), ("metro", 0.25, false)),
            Heard("lisin.wav", 2, ("take", 0.8, true), ("lisin", 0.3, false)),
        };
        var picks = RecordingSuggester.Rank(recordings, new SuggestionOptions());
        Assert.Equal(["metro-1.wav", "lisin.wav", "metro-2.wav", "sure.wav"], picks.Select(p => p.Recording.AudioPath));
        Assert.Equal(0.2 + 0.8 + 1, picks[0].Value, 9);          // expected errors + one unknown stretch
        Assert.Equal(["metro"], picks[2].Overlap);
        Assert.Equal(0.2 + 0.75 * 0.5, picks[2].Value, 9);         // the repeat counts half, its unknown stretch nothing
        Assert.Contains("likely unknown words: 'metro'", picks[0].Why());
        Assert.Contains("discounted: earlier picks already cover 'metro'", picks[2].Why());
    }

    [Fact]
    public void Budgets_stop_the_list_and_an_hours_budget_prefers_value_per_hour()
    {
        var recordings = new[]
        {
            Heard("long.wav", 3600, ("a", 0.1, true), ("b", 0.1, true), ("c", 0.1, true)),
            Heard("short.wav", 360, ("d", 0.2, true)),
            Heard("other.wav", 360, ("e", 0.5, true)),
        };
        Assert.Equal(2, RecordingSuggester.Rank(recordings, new SuggestionOptions { Count = 2 }).Count);
        Assert.Equal("long.wav", RecordingSuggester.Rank(recordings, new SuggestionOptions { Count = 1 })[0].Recording.AudioPath);
        var byHour = RecordingSuggester.Rank(recordings, new SuggestionOptions { Hours = 0.25 });
        Assert.Equal(["short.wav", "other.wav"], byHour.Select(p => p.Recording.AudioPath));
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
