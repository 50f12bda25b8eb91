using DgTools.Audio;
using DgTools.Data;
using DgTools.Reporting;
using DgTools.Tests.Audio;
using DgTools.Tests.TestSupport;
using Xunit;

namespace DgTools.Tests.Data;

/// <summary>The acceptance scenario: two data sets with every supported format, a keep list and broken files,
/// run twice through discovery, the persistent split and the feature cache.</summary>
public sealed class DataPipelineTests : IDisposable
{
    private readonly TempResources _temp = new();
    private readonly List<string> _broken = [];
    private readonly List<string> _goodIds = [];

    public void Dispose() => _temp.Dispose();

    private void BuildSets()
    {
        var mixed = _temp.SetDir("mixed");
        for (int i = 0; i < 3; i++) { TempResources.Pair(mixed, $"tel{i}", $"Telephone call {i + 1}", i, rate: 8000); _goodIds.Add($"mixed/tel{i}"); }
        foreach (var ext in new[] { "mp3", "ogg", "flac" })
        {
            File.Copy(AudioTestFiles.Fixture($"tone.{ext}"), Path.Combine(mixed, $"tone_{ext}.{ext}"));
            TempResources.WriteText(mixed, $"tone_{ext}.txt", $"a tone in {ext}");
            _goodIds.Add($"mixed/tone_{ext}");
        }
        TempResources.Pair(Path.Combine(mixed, "sub"), "nested", "in a subfolder", 9);
        _goodIds.Add("mixed/sub/nested");
        _broken.Add(TempResources.WriteFile(mixed, "orphan.wav", TempResources.Wav(5)));
        _broken.Add(TempResources.WriteText(mixed, "lonely.txt", "no audio for me"));
        _broken.Add(TempResources.WriteFile(mixed, "zero.wav", []));
        TempResources.WriteText(mixed, "zero.txt", "zero length audio");
        _broken.Add(TempResources.WriteFile(mixed, "garbage.mp3", "ID3 this is not an mp3 at all, not even a little bit"u8.ToArray()));
        TempResources.WriteText(mixed, "garbage.txt", "garbage audio");
        TempResources.WriteFile(mixed, "blank.wav", TempResources.Wav(6));
        _broken.Add(TempResources.WriteText(mixed, "blank.txt", "  \n ... \n"));
        TempResources.WriteFile(mixed, "long.wav", TempResources.Wav(7, rate: 8000, seconds: 21));
        TempResources.WriteText(mixed, "long.txt", "a very long recording");

        var kept = _temp.SetDir("kept");
        for (int i = 0; i < 12; i++) { TempResources.Pair(kept, $"k{i:D2}", $"number {i}", 20 + i); _goodIds.Add($"kept/k{i:D2}"); }
        TempResources.WriteText(kept, SplitRegistry.KeepValidateFile, "# held out on purpose\nk03\nk07\n");
    }

    private (DiscoveryResult Discovery, SplitResult Split, FeatureCache Cache, RecordingReporter Reporter) Run()
    {
        var reporter = new RecordingReporter();
        var discovery = new DatasetDiscovery(_temp.Resources, "en", reporter).Discover();
        var split = SplitRegistry.Apply(_temp.Resources, discovery, reporter);
        var cache = new FeatureCache(_temp.Resources, new FeatureConfig(), reporter);
        foreach (var u in discovery.Utterances) Assert.True(cache.GetOrCompute(u.AudioPath).Frames > 0);
        return (discovery, split, cache, reporter);
    }

    [Fact]
    public void Two_runs_find_every_good_pair_name_every_broken_file_once_keep_splits_and_reuse_features()
    {
        BuildSets();
        var first = Run();

        Assert.Equal(_goodIds.Order(), first.Discovery.Utterances.Select(u => u.SourceId).Order());
        foreach (var path in _broken)
            Assert.Equal(1, first.Reporter.Warnings.Count(w => w.StartsWith(path + ":", StringComparison.Ordinal)));
        Assert.Equal(_broken.Count, first.Discovery.SkippedFiles);
        Assert.Contains(first.Reporter.Infos, i => i.StartsWith("data set 'mixed': 7 pairs used, 1 long recordings (over 20 s, to cut into segments), 5 files skipped"));
        Assert.Equal("mixed/long", Assert.Single(first.Discovery.LongRecordings).SourceId);
        Assert.Equal("telephone call one", first.Discovery.Utterances.Single(u => u.SourceId == "mixed/tel0").Text);

        Assert.Equal(SplitRole.Validate, first.Split.RoleOf("kept/k03"));
        Assert.Equal(SplitRole.Validate, first.Split.RoleOf("kept/k07"));
        Assert.Contains(first.Split.Validate, u => u.Dataset == "mixed");
        Assert.Empty(first.Split.Train.Intersect(first.Split.Validate));
        Assert.Equal(first.Discovery.Utterances.Count, first.Cache.ComputedCount);
        var splitBytes = File.ReadAllBytes(_temp.Resources.SplitsFile);

        var second = Run();
        Assert.Equal(splitBytes, File.ReadAllBytes(_temp.Resources.SplitsFile));
        Assert.Equal(0, second.Cache.ComputedCount);
        Assert.Equal(first.Discovery.Utterances.Count, second.Cache.HitCount);

        // A keep list that contradicts the recorded split: a warning, and nothing changes.
        var trainedId = first.Split.Train.First(u => u.Dataset == "kept").Stem;
        TempResources.WriteText(Path.Combine(_temp.Resources.DatasetsRoot("en"), "kept"), SplitRegistry.KeepValidateFile, $"k03\nk07\n{trainedId}\n");
        var third = Run();
        Assert.Contains(third.Reporter.Warnings, w => w.Contains($"kept/{trainedId}") && w.Contains("ignored"));
        Assert.Equal(splitBytes, File.ReadAllBytes(_temp.Resources.SplitsFile));
        Assert.Equal(0, third.Cache.ComputedCount);
    }

    [Fact]
    public void A_corrupt_cache_entry_is_recomputed_with_a_warning_and_segments_have_their_own_entries()
    {
        var set = _temp.SetDir("s");
        TempResources.Pair(set, "a", "hello", 1);
        var audio = Path.Combine(set, "a.wav");
        var reporter = new RecordingReporter();
        var cache = new FeatureCache(_temp.Resources, new FeatureConfig(), reporter);
        var original = cache.GetOrCompute(audio);
        var entry = cache.EntryPath(File.ReadAllBytes(audio));
        var bytes = File.ReadAllBytes(entry);
        bytes[^3] ^= 0x40;
        File.WriteAllBytes(entry, bytes);

        var again = cache.GetOrCompute(audio);
        Assert.Equal(original.Data, again.Data);
        Assert.Equal(1, cache.RecoveredCount);
        Assert.Contains(reporter.Warnings, w => w.Contains("checksum mismatch") && w.Contains(audio));
        Assert.Equal(2, cache.ComputedCount);

        var segment = cache.GetOrCompute(audio, 0.1, 0.3);
        Assert.Equal(new FbankExtractor(new FeatureConfig()).FrameCount(3200), segment.Frames);
        Assert.Equal(original.Row(10).ToArray(), segment.Row(0).ToArray());
    }

    [Fact]
    public void Identical_audio_in_two_sets_is_computed_once_and_concurrent_readers_agree()
    {
        var a = _temp.SetDir("a");
        var b = _temp.SetDir("b");
        TempResources.Pair(a, "x", "same", 3);
        TempResources.Pair(b, "y", "same", 3);
        var cache = new FeatureCache(_temp.Resources, new FeatureConfig(), new RecordingReporter());
        var first = cache.GetOrCompute(Path.Combine(a, "x.wav"));
        // Readers racing each other (and threads that miss at the same time and write the same entry) all see
        // whole, identical features; the other set's copy of the audio is a hit.
        var results = new FeatureMatrix[16];
        Parallel.For(0, 16, i => results[i] = cache.GetOrCompute(Path.Combine(i % 2 == 0 ? a : b, i % 2 == 0 ? "x.wav" : "y.wav")));
        Assert.All(results, r => Assert.Equal(first.Data, r.Data));
        Assert.Equal(1, cache.ComputedCount);
        Assert.Equal(16, cache.HitCount);
        Assert.Single(Directory.EnumerateFiles(cache.Directory, "*.fbk", SearchOption.AllDirectories));

        var cold = new FeatureCache(Path.Combine(_temp.Root, "other-cache"), new FeatureConfig(), new RecordingReporter());
        Parallel.For(0, 8, i => results[i] = cold.GetOrCompute(Path.Combine(a, "x.wav")));
        Assert.All(results.Take(8), r => Assert.Equal(first.Data, r.Data));
        Assert.Single(Directory.EnumerateFiles(cold.Directory, "*.fbk", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(cold.Directory, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_set_with_no_usable_pair_is_an_error()
    {
        var set = _temp.SetDir("broken");
        TempResources.WriteFile(set, "a.wav", TempResources.Wav(1));
        TempResources.WriteText(set, "b.txt", "orphan");
        var e = Assert.Throws<DatasetError>(() => new DatasetDiscovery(_temp.Resources, "en", new RecordingReporter()).Discover());
        Assert.Contains("'broken' has no usable", e.Message);
    }

    [Fact]
    public void Unmappable_characters_are_warned_with_file_and_line()
    {
        var set = _temp.SetDir("s");
        TempResources.Pair(set, "a", "first line\nsecond 世 line", 1);
        TempResources.Pair(set, "b", "fine", 2);
        var reporter = new RecordingReporter();
        var result = new DatasetDiscovery(_temp.Resources, "en", reporter).Discover();
        Assert.Equal("first line second line", result.Utterances.Single(u => u.Stem == "a").Text);
        Assert.Contains(reporter.Warnings, w => w.StartsWith(Path.Combine(set, "a.txt") + ":2: character '世'"));
    }

    [FsddFact]
    public void Real_fsdd_digits_are_discovered_from_a_plain_directory()
    {
        var reporter = new RecordingReporter();
        var result = new DatasetDiscovery(_temp.Resources, "en", reporter).Discover(SharedData.FsddDigits);
        Assert.Equal(2940, result.Utterances.Count);
        Assert.Empty(reporter.Warnings);
        Assert.All(result.Utterances, u => Assert.InRange(u.DurationSeconds!.Value, 0.1, 3.0));
        Assert.Contains(result.Utterances, u => u.SourceId == "fsdd-digits/7_theo_3" && u.Text == "seven");
    }
}
