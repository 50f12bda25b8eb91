using DgTools.Audio;
using DgTools.Data;
using DgTools.Reporting;
using DgTools.Tests.Data;
using DgTools.Training;
using DgTools.Tests.TestSupport;
using Xunit;
using DgTools.Preparation;

namespace DgTools.Tests.Training;

/// <summary>Training features are streamed from the feature cache (nothing resident): preparation only makes sure each
/// entry exists and is intact, and every load reads it back.</summary>
public sealed class StreamedFeaturesTests : IDisposable
{
    private readonly TempResources _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Ensure_finds_the_same_entry_as_GetOrCompute_and_computes_only_what_is_missing()
    {
        var set = _temp.SetDir("a");
        var audio = TempResources.WriteFile(set, "x.wav", TempResources.Wav(3, seconds: 0.9));
        var first = new FeatureCache(_temp.Resources, new FeatureConfig(), new RecordingReporter());

        var entry = first.Ensure(audio);

        Assert.Equal(first.EntryPath(File.ReadAllBytes(audio)), entry.Path);
        Assert.Equal((1, 0), (first.ComputedCount, first.HitCount));
        var later = new FeatureCache(_temp.Resources, new FeatureConfig(), new RecordingReporter());
        Assert.Equal(entry, later.Ensure(audio));
        Assert.Equal((0, 1), (later.ComputedCount, later.HitCount));
        var features = later.TryRead(entry)!;
        Assert.Equal(later.GetOrCompute(audio).Data, features.Data);
        Assert.Equal(entry.Frames, features.Frames);
    }

    [Fact]
    public void Loads_read_the_cache_each_time_and_recompute_an_entry_damaged_after_preparation()
    {
        var set = _temp.SetDir("a");
        var audio = new[] { 1, 2 }.Select(i => TempResources.WriteFile(set, $"u{i}.wav", TempResources.Wav(i, seconds: 0.6 + 0.2 * i))).ToList();
        var reporter = new RecordingReporter();
        var cache = new FeatureCache(_temp.Resources, new FeatureConfig(), reporter);
        var entries = audio.Select(a => cache.Ensure(a)).ToList();
        var examples = audio.Select((a, i) => new TrainingExample($"a/u{i}", a, "ab", [1, 2], entries[i].Frames)).ToList();
        var source = new CachedUtterances(examples, cache, entries, keptBytes: 0);
        var expected = audio.Select(a => cache.GetOrCompute(a).NormalizedPerUtterance().Data).ToList();

        Assert.Equal(expected[1], source.Load(1).Features);
        Assert.Equal(entries[1].Frames, source.Load(1).Frames);
        Assert.NotSame(source.Load(0).Features, source.Load(0).Features);

        // Flip one payload byte: the checksum catches it on the next load, which recomputes with a warning.
        var bytes = File.ReadAllBytes(entries[0].Path);
        bytes[^3] ^= 0x40;
        File.WriteAllBytes(entries[0].Path, bytes);
        Assert.Equal(expected[0], source.Load(0).Features);
        Assert.Equal(1, cache.RecoveredCount);
        Assert.Contains(reporter.Warnings, w => w.Contains("corrupt (checksum mismatch)"));
        // The subset used for validation carries the entries of the utterances it picks.
        Assert.Equal(expected[0], source.Subset(1).Load(0).Features);
    }

    [Fact]
    public void Features_loaded_while_the_kept_budget_lasts_stay_in_memory_and_the_rest_stream()
    {
        var set = _temp.SetDir("a");
        var audio = new[] { 1, 2 }.Select(i => TempResources.WriteFile(set, $"u{i}.wav", TempResources.Wav(i, seconds: 0.8))).ToList();
        var cache = new FeatureCache(_temp.Resources, new FeatureConfig(), new RecordingReporter());
        var entries = audio.Select(a => cache.Ensure(a)).ToList();
        var examples = audio.Select((a, i) => new TrainingExample($"a/u{i}", a, "ab", [1, 2], entries[i].Frames)).ToList();
        // Room for one utterance's features: the first one loaded is kept, the other streams.
        var source = new CachedUtterances(examples, cache, entries, keptBytes: entries[1].Frames * 80L * sizeof(float));

        var first = source.Load(1).Features;
        Assert.Same(first, source.Load(1).Features);
        Assert.NotSame(source.Load(0).Features, source.Load(0).Features);
        // The kept one needs its cache entry no more.
        var computed = cache.ComputedCount;
        File.Delete(entries[1].Path);
        Assert.Equal(first, source.Load(1).Features);
        Assert.Equal(computed, cache.ComputedCount);
    }
}
