using DgTools.Audio;
using DgTools.Data;
using DgTools.Reporting;
using Xunit;

namespace DgTools.Tests.Data;

public sealed class SegmentFeatureCacheTests : IDisposable
{
    private readonly TempResources _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Segments_are_computed_from_one_decode_and_read_back_without_the_recording()
    {
        var set = _temp.SetDir("calls");
        var audio = TempResources.WriteFile(set, "call.wav", TempResources.Wav(5, seconds: 3));
        var spans = new[] { new AudioSpan(0.5, 1.5, "xxh64:0001"), new AudioSpan(1.5, 2.75, "xxh64:0001") };
        var cache = new FeatureCache(_temp.Resources, new FeatureConfig(), new RecordingReporter());

        var first = cache.GetOrComputeSegments(audio, spans);

        Assert.Equal(2, cache.ComputedCount);
        // The same numbers as slicing the file by time, and as long as the span.
        Assert.Equal(cache.GetOrCompute(audio, 0.5, 1.5).Data, first[0].Data);
        var extractor = new FbankExtractor(new FeatureConfig());
        Assert.Equal(extractor.FrameCount(20000), first[1].Frames);

        // A later run finds both in the cache even when the recording is gone: the key is the content hash and span.
        File.Delete(audio);
        var later = new FeatureCache(_temp.Resources, new FeatureConfig(), new RecordingReporter());
        Assert.Equal(first[1].Data, later.GetOrCompute(audio, spans[1]).Data);
        Assert.Equal(first[0].Data, later.GetOrComputeSegments(audio, spans)[0].Data);
        Assert.Equal((0, 3), (later.ComputedCount, later.HitCount));
        // Another content hash or another span is another entry (and here the audio to compute it is missing).
        Assert.NotEqual(later.SegmentEntryPath(spans[0]), later.SegmentEntryPath(spans[0] with { AudioHash = "xxh64:0002" }));
        Assert.Throws<AudioError>(() => later.GetOrCompute(audio, spans[0] with { End = 1.6 }));
    }

    [Fact]
    public void Ensuring_segments_writes_each_entry_and_a_damaged_one_is_recomputed_with_a_warning()
    {
        var set = _temp.SetDir("calls");
        var audio = TempResources.WriteFile(set, "call.wav", TempResources.Wav(6, seconds: 3));
        var spans = new[] { new AudioSpan(0.0, 1.0, "xxh64:0003"), new AudioSpan(1.2, 2.9, "xxh64:0003") };
        var reporter = new RecordingReporter();
        var cache = new FeatureCache(_temp.Resources, new FeatureConfig(), reporter);

        var entries = cache.EnsureSegments(audio, spans);

        Assert.Equal((2, 0L), (entries.Count, cache.HitCount));
        Assert.Equal(cache.GetOrCompute(audio, 1.2, 2.9).Data, cache.TryRead(entries[1])!.Data);
        Assert.Equal(entries[0].Frames, cache.TryRead(entries[0])!.Frames);
        var bytes = File.ReadAllBytes(entries[0].Path);
        bytes[^1] ^= 0x10;
        File.WriteAllBytes(entries[0].Path, bytes);

        var again = new FeatureCache(_temp.Resources, new FeatureConfig(), reporter).EnsureSegments(audio, spans);
        Assert.Equal(entries, again);
        Assert.Contains(reporter.Warnings, w => w.Contains("damaged; recomputing") && w.Contains(audio));
        Assert.NotNull(cache.TryRead(entries[0]));
    }

    [Fact]
    public void A_segment_id_names_its_recording_and_span()
    {
        Assert.Equal("calls/june/call#12.340-19.250", new AudioSpan(12.34, 19.25, "h").IdWithin("calls/june/call"));
    }
}
