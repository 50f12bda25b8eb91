using DgTools.Data;
using DgTools.Reporting;
using Xunit;

namespace DgTools.Tests.Data;

public sealed class SplitRegistryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dgtools-splits-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string SplitsPath => Path.Combine(_dir, ".train_meta", "datasetsplits.meta_jm");

    private static Utterance U(string set, string stem) => new($"{set}/{stem}", set, $"/x/{stem}.wav", $"/x/{stem}.txt", "t", "t", 1.0);

    private DatasetLocation Set(string name)
    {
        var dir = Path.Combine(_dir, name);
        Directory.CreateDirectory(dir);
        return new DatasetLocation(name, dir);
    }

    [Fact]
    public void Golden_file_format()
    {
        var sets = new[] { Set("alpha"), Set("beta") };
        var utterances = Enumerable.Range(0, 12).Select(i => U("alpha", $"a{i:D2}")).Concat([U("beta", "only"), U("beta", "two")]).ToList();
        var registry = SplitRegistry.Load(SplitsPath);
        registry.Assign(sets, utterances, new RecordingReporter());
        registry.Save();
        // DGTOOLS_UPDATE_GOLDEN=1 rewrites the committed golden file (then review the diff).
        if (Environment.GetEnvironmentVariable("DGTOOLS_UPDATE_GOLDEN") == "1" && SharedData.RepositoryRoot is { } root)
            File.Copy(SplitsPath, Path.Combine(root, "tests", "DgTools.Tests", "Fixtures", "Data", "datasetsplits.golden.meta_jm"), true);
        var golden = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Data", "datasetsplits.golden.meta_jm"));
        Assert.Equal(golden, File.ReadAllText(SplitsPath));
    }

    [Fact]
    public void About_ten_percent_validate_and_roles_are_stable_hashes()
    {
        var sets = new[] { Set("big") };
        var utterances = Enumerable.Range(0, 20000).Select(i => U("big", $"f{i}")).ToList();
        var result = SplitRegistry.Load(SplitsPath).Assign(sets, utterances, new RecordingReporter());
        Assert.InRange(result.Validate.Count / 20000.0, 0.09, 0.11);
        Assert.Equal(20000, result.Train.Count + result.Validate.Count);
        Assert.Empty(result.Train.Select(u => u.SourceId).Intersect(result.Validate.Select(u => u.SourceId)));
    }

    [Fact]
    public void A_tiny_set_still_validates_one_item_and_a_single_item_trains()
    {
        var sets = new[] { Set("tiny"), Set("one") };
        var result = SplitRegistry.Load(SplitsPath).Assign(sets, [U("tiny", "a"), U("tiny", "b"), U("tiny", "c"), U("one", "x")], new RecordingReporter());
        Assert.Single(result.Validate);
        Assert.Equal("tiny", result.Validate[0].Dataset);
        Assert.Equal(SplitRole.Train, result.RoleOf("one/x"));
    }

    [Fact]
    public void Recorded_roles_never_change_as_data_grows_so_validation_items_are_never_trained_on()
    {
        var sets = new[] { Set("s") };
        var validatedEver = new HashSet<string>();
        var trainedEver = new HashSet<string>();
        for (int run = 1; run <= 5; run++)
        {
            var registry = SplitRegistry.Load(SplitsPath);
            var result = registry.Assign(sets, Enumerable.Range(0, run * 40).Select(i => U("s", $"f{i}")).ToList(), new RecordingReporter());
            registry.Save();
            validatedEver.UnionWith(result.Validate.Select(u => u.SourceId));
            trainedEver.UnionWith(result.Train.Select(u => u.SourceId));
        }
        Assert.Empty(validatedEver.Intersect(trainedEver));
        Assert.NotEmpty(validatedEver);
    }

    [Fact]
    public void Keep_lists_force_new_ids_and_a_conflict_with_a_recorded_role_warns_and_changes_nothing()
    {
        var set = Set("s");
        var utterances = Enumerable.Range(0, 30).Select(i => U("s", $"f{i}")).ToList();
        File.WriteAllText(Path.Combine(set.Directory, SplitRegistry.KeepValidateFile), "# hold these out\nf1\nf2.wav\ns/f3\nnot-a-file\n");
        File.WriteAllText(Path.Combine(set.Directory, SplitRegistry.KeepTrainFile), "f4\n");
        var reporter = new RecordingReporter();
        var registry = SplitRegistry.Load(SplitsPath);
        var first = registry.Assign([set], utterances, reporter);
        registry.Save();
        Assert.All(new[] { "s/f1", "s/f2", "s/f3" }, id => Assert.Equal(SplitRole.Validate, first.RoleOf(id)));
        Assert.Equal(SplitRole.Train, first.RoleOf("s/f4"));
        Assert.Contains(reporter.Warnings, w => w.Contains("'not-a-file' names no usable file"));
        var before = File.ReadAllBytes(SplitsPath);

        // Now ask for f1 to train and f4 to validate: both were recorded, so both requests are ignored with a warning.
        File.WriteAllText(Path.Combine(set.Directory, SplitRegistry.KeepValidateFile), "f4\n");
        File.WriteAllText(Path.Combine(set.Directory, SplitRegistry.KeepTrainFile), "f1\n");
        reporter = new RecordingReporter();
        registry = SplitRegistry.Load(SplitsPath);
        var second = registry.Assign([set], utterances, reporter);
        registry.Save();
        Assert.Equal(SplitRole.Validate, second.RoleOf("s/f1"));
        Assert.Equal(SplitRole.Train, second.RoleOf("s/f4"));
        Assert.Equal(2, reporter.Warnings.Count(w => w.Contains("earlier run recorded it") && w.Contains("ignored")));
        Assert.Equal(before, File.ReadAllBytes(SplitsPath));
    }

    [Theory]
    [InlineData("something else\n", "not a dgtools split file")]
    [InlineData("dgtools-datasetsplits 9\n", "version 9 is not supported")]
    [InlineData("dgtools-datasetsplits 1\ntrain\ts/a\nmaybe\ts/b\n", "line 3 is malformed")]
    public void Files_we_do_not_understand_are_rejected_with_a_clear_message(string content, string message)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SplitsPath)!);
        File.WriteAllText(SplitsPath, content);
        var e = Assert.Throws<DatasetError>(() => SplitRegistry.Load(SplitsPath));
        Assert.Contains(message, e.Message);
        Assert.Equal(SplitsPath, e.Path);
    }
}
