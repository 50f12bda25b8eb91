using DgTools.Alignment;
using DgTools.Tests.TestSupport;
using Xunit;
using DgTools.Preparation;

namespace DgTools.Tests.Alignment;

public sealed class RecordingAlignmentFormatTests
{
    private static RecordingAlignment Sample() => new()
    {
        Audio = "june/call.wav",
        AudioHash = "xxh64:0123456789abcdef",
        TranscriptHash = "xxh64:fedcba9876543210",
        ModelId = "5f0c6f0e-1111-4222-8333-944455556666",
        Options = new AlignmentOptions { SeparatorUnit = 1 }.Fingerprint,
        FrameSeconds = 0.04,
        Frames = 100,
        Aligned = true,
        DroppedCharacterShare = 0.0,
        Words = [new StoredWord("hello", 3, 12, -0.0123), new StoredWord("world", 20, 31, -4.5)],
        Untranscribed = [new StoredStretch(1, 13, 19)],
        Heard = [new HeardWord("hello", 4, 11), new HeardWord("word", 21, 30)],
    };

    [Fact]
    public void Writes_the_golden_file_and_reads_it_back()
    {
        var json = Sample().ToJson();
        Golden.Assert("alignment-v1.align.json", json);
        var back = RecordingAlignment.FromJson(json, "x.align.json");
        Assert.Equal(Sample().Words, back.Words);
        Assert.Equal(Sample().Untranscribed, back.Untranscribed);
        Assert.Equal(Sample().Heard, back.Heard);
        Assert.Equal(Sample() with { Words = back.Words, Untranscribed = back.Untranscribed, Heard = back.Heard }, back);
        Assert.Equal("word", back.HeardBetween(15, 40));
    }

    [Theory]
    [InlineData("{\"format\":\"dgtools-alignment\",\"version\":2}", "version 2 is not supported")]
    [InlineData("{\"format\":\"something-else\",\"version\":1}", "not a dgtools-alignment file")]
    [InlineData("{\"format\":\"dgtools-alignment\",\"version\":1,\"audio\":\"a\"", "not valid")]
    [InlineData("{\"format\":\"dgtools-alignment\",\"version\":1}", "not valid")]
    public void Rejects_what_it_does_not_understand_with_one_line(string json, string expected)
    {
        var error = Assert.Throws<DatasetError>(() => RecordingAlignment.FromJson(json, "/d/resource_properties/a.wav.align.json"));
        Assert.Contains(expected, error.Message);
        Assert.Equal("/d/resource_properties/a.wav.align.json", error.Path);
    }

    [Fact]
    public void A_corrupt_stored_file_is_reported_and_treated_as_absent()
    {
        using var dir = new TempDirectory();
        var store = new AlignmentStore(dir.Path);
        var audio = dir.Combine("a.wav");
        Directory.CreateDirectory(store.Root);
        File.WriteAllText(store.FileFor(audio), "{\"format\":\"dgtools-alignment\",\"version\":9}");
        var warnings = new List<string>();
        Assert.Null(store.Find(audio, "h", "t", "m", "o", warnings.Add));
        Assert.Contains("version 9 is not supported", Assert.Single(warnings));
    }
}
