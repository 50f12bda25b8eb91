// Issue #20: a Spanish model pointed at English data trained on it and added English words to its vocabulary. Now
// autotrain stops before anything is written, with one line saying what, where and how to override; the override
// trains. Real models (the bundled general-es.dg, general-en.dg) on the bundled English demo data.
using DgTools.Tests.TestSupport;
using Xunit;

namespace DgTools.Tests.Reliability;

public class WrongLanguageTests
{
    private static readonly string Pharmacy = Path.Combine(RepoPaths.Root, "demo", "dgdatasets", "pharmacy");

    /// <summary>A resource directory with 8 of the demo's English pairs (6 train, 2 validate) and a copy of a model.</summary>
    private static (string Set, string Model) Scene(TempDirectory dir, string model)
    {
        var set = dir.Combine("res", "dgdatasets", "pharmacy");
        Directory.CreateDirectory(set);
        foreach (var stem in new[] { "rx-0000", "rx-0001", "rx-0002", "rx-0003", "rx-0004", "rx-0005", "rx-val-000", "rx-val-001" })
        {
            File.CreateSymbolicLink(Path.Combine(set, stem + ".wav"), Path.Combine(Pharmacy, stem + ".wav"));
            File.Copy(Path.Combine(Pharmacy, stem + ".txt"), Path.Combine(set, stem + ".txt"));
        }
        File.WriteAllText(Path.Combine(set, "keep_validate.lst"), "rx-val-000\nrx-val-001\n");
        Directory.CreateDirectory(dir.Combine("work"));
        File.Copy(Path.Combine(RepoPaths.Root, "models", model), dir.Combine("work", model));
        return (set, model);
    }

    [Fact]
    public void A_Spanish_model_on_English_data_stops_before_anything_is_written()
    {
        using var dir = new TempDirectory();
        var (set, model) = Scene(dir, "general-es.dg");
        var before = (Res: TreeSnapshot.Take(dir.Combine("res")), Work: TreeSnapshot.Take(dir.Combine("work")));

        var r = CliRunner.Run(dir.Combine("work"), dir.Combine("res"), "autotrain", model, "--dataset-locations", set, "--threads", "1");

        Assert.True(r.ExitCode == 1, r.Err + r.Out);
        var errors = r.Err.Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            "error: the data sets do not look like 'es', the model's language: 4 % of the transcripts' 45 running words are among " +
            "the model's 1,000 most frequent words (24 % are in its vocabulary at all); train a model of the data's language, " +
            $"or pass --language-check false to train this one anyway ({set})", Assert.Single(errors));
        Assert.DoesNotContain("warning:", r.Err + r.Out);
        Assert.DoesNotContain("   at ", r.Err + r.Out);
        // Nothing written: no file anywhere (not even a split registry or a cached feature), no model.
        var after = (Res: TreeSnapshot.Take(dir.Combine("res")), Work: TreeSnapshot.Take(dir.Combine("work")));
        before.Res.AssertUnchangedBy(after.Res);
        before.Work.AssertUnchangedBy(after.Work);
        Assert.Empty(after.Res.Entries.Where(e => e.Value != "dir" && !before.Res.Entries.ContainsKey(e.Key)).Select(e => e.Key));
        Assert.Equal(before.Work.Entries.Keys, after.Work.Entries.Keys);
    }

    [Fact, Trait("Tier", "Slow")]   // two short training runs of the general models
    public void With_language_check_false_the_same_run_trains_and_the_English_model_passes_the_check()
    {
        using var dir = new TempDirectory();
        var (set, model) = Scene(dir, "general-es.dg");
        var r = CliRunner.Run(dir.Combine("work"), dir.Combine("res"), "autotrain", model, "--dataset-locations", set, "--language-check", "false",
            "--revisit-count", "1", "--replay-fraction", "0", "--final-evaluation", "false", "--threads", "1");
        Assert.True(r.ExitCode == 0, r.Err + r.Out);
        Assert.DoesNotContain("Language check", r.Out);
        Assert.Contains("Added ", r.Out);   // what the check exists to prevent, on request
        Assert.True(File.Exists(dir.Combine("work", "general-es.last.dg")));

        using var en = new TempDirectory();
        var (enSet, enModel) = Scene(en, "general-en.dg");
        var e = CliRunner.Run(en.Combine("work"), en.Combine("res"), "autotrain", enModel, "--dataset-locations", enSet,
            "--revisit-count", "1", "--replay-fraction", "0", "--final-evaluation", "false", "--threads", "1");
        Assert.True(e.ExitCode == 0, e.Err + e.Out);
        Assert.Contains("Language check: 53 % of the transcripts' 45 running words are among the model's 1,000 most frequent words", e.Out);
    }

    [Fact]
    public void Transcripts_in_another_script_stop_discovery_with_one_line()
    {
        using var dir = new TempDirectory();
        var set = dir.Combine("res", "dgdatasets", "ko");
        Directory.CreateDirectory(set);
        var replay = Path.Combine(RepoPaths.Root, "models", "general-ko.replay");
        var stems = Directory.GetFiles(replay, "*.txt").Order(StringComparer.Ordinal).Take(3).Select(Path.GetFileNameWithoutExtension).ToList();
        foreach (var stem in stems)
        {
            File.CreateSymbolicLink(Path.Combine(set, stem + ".ogg"), Path.Combine(replay, stem + ".ogg"));
            File.Copy(Path.Combine(replay, stem + ".txt"), Path.Combine(set, stem + ".txt"));
        }
        Directory.CreateDirectory(dir.Combine("work"));
        File.Copy(Path.Combine(RepoPaths.Root, "models", "general-en.dg"), dir.Combine("work", "general-en.dg"));

        var r = CliRunner.Run(dir.Combine("work"), dir.Combine("res"), "autotrain", "general-en.dg", "--threads", "1");

        Assert.True(r.ExitCode == 1, r.Err + r.Out);
        Assert.DoesNotContain("warning:", r.Err + r.Out);
        var error = Assert.Single(r.Err.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.StartsWith("error: data set 'ko' has no usable audio/transcript pair: the letters of 3 of its 3 transcripts cannot be written with en units (the first: ", error);
        Assert.EndsWith("is it a data set of another language? (" + set + ")", error);
    }
}
