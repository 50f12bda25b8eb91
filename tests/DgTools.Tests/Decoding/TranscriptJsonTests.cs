using System.Text.Json;
using DgTools.Decoding;
using Xunit;

namespace DgTools.Tests.Decoding;

public class TranscriptJsonTests
{
    private static readonly TranscriptMetadata Metadata = new(
        "00000000-0000-4000-8000-000000000001",
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        new DateTimeOffset(2026, 11, 25, 6, 0, 0, TimeSpan.Zero),
        [new TranscriptModelInfo(Guid.Parse("6c1a4a2e-63a4-4a8e-9f0e-2b8a3f1d5c70"), "general", "2026-11-25")]);

    private static Transcript Example() =>
        new CtcGreedyDecoder(SyntheticPosteriors.English)
            .Decode(new SyntheticPosteriors().Blank(frames: 10).Say("call ").Say("zorblax", peak: 0.6).Blank(frames: 10).Build());

    [Fact]
    public void Matches_the_golden_deepgram_shaped_response()
    {
        var golden = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Decoding", "transcribe-deepgram.json"));
        Assert.Equal(golden.TrimEnd('\n'), TranscriptJson.Write(Example(), Metadata));
    }

    [Fact]
    public void Has_the_fields_deepgram_clients_read()
    {
        using var doc = JsonDocument.Parse(TranscriptJson.Write(Example(), Metadata, indented: true));
        var root = doc.RootElement;
        Assert.Equal(1.76, root.GetProperty("metadata").GetProperty("duration").GetDouble(), 6);
        Assert.Equal("6c1a4a2e-63a4-4a8e-9f0e-2b8a3f1d5c70", root.GetProperty("metadata").GetProperty("models")[0].GetString());
        var alternative = root.GetProperty("results").GetProperty("channels")[0].GetProperty("alternatives")[0];
        Assert.Equal("call zorblax", alternative.GetProperty("transcript").GetString());
        var words = alternative.GetProperty("words").EnumerateArray().ToList();
        Assert.Equal(["call", "zorblax"], words.Select(w => w.GetProperty("word").GetString()));
        Assert.True(words[0].GetProperty("confidence").GetDouble() > words[1].GetProperty("confidence").GetDouble());
        Assert.True(words[0].GetProperty("end").GetDouble() <= words[1].GetProperty("start").GetDouble());
    }

    /// <summary>Two pauses: 1.0 s after "there" and 0.5 s after "me".</summary>
    private static Transcript Spoken()
    {
        WordTiming[] words =
        [
            new("hello", 0.1, 0.4, 0.9), new("there", 0.45, 0.8, 0.8),
            new("call", 1.8, 2.1, 0.7), new("me", 2.15, 2.3, 0.95),
            new("back", 2.8, 3.1, 0.6),
        ];
        return new Transcript(string.Join(' ', words.Select(w => w.Word)), words.Average(w => w.Confidence), words, 3.5);
    }

    [Fact]
    public void Utterances_match_the_golden_response_and_split_where_the_pause_reaches_utt_split()
    {
        TestSupport.Golden.Assert("transcribe-utterances.json", TranscriptJson.Write(Spoken(), Metadata, indented: true, utteranceSplit: 0.8) + "\n");

        List<JsonElement> UtterancesAt(double split)
        {
            using var doc = JsonDocument.Parse(TranscriptJson.Write(Spoken(), Metadata, utteranceSplit: split));
            return doc.RootElement.GetProperty("results").GetProperty("utterances").EnumerateArray().Select(u => u.Clone()).ToList();
        }
        string Texts(double split) => string.Join(" | ", UtterancesAt(split).Select(u => u.GetProperty("transcript").GetString()));
        Assert.Equal("hello there | call me back", Texts(0.8));   // Deepgram's default
        Assert.Equal("hello there | call me | back", Texts(0.5)); // a pause of exactly utt_split splits
        Assert.Equal("hello there call me back", Texts(1.5));

        var second = UtterancesAt(0.8)[1];
        Assert.Equal(1.8, second.GetProperty("start").GetDouble());
        Assert.Equal(3.1, second.GetProperty("end").GetDouble());
        Assert.Equal(0.75, second.GetProperty("confidence").GetDouble(), 6);
        Assert.Equal(0, second.GetProperty("channel").GetInt32());
        Assert.Equal(["call", "me", "back"], second.GetProperty("words").EnumerateArray().Select(w => w.GetProperty("word").GetString()));
        Assert.True(Guid.TryParse(second.GetProperty("id").GetString(), out _));
        Assert.NotEqual(UtterancesAt(0.8)[0].GetProperty("id").GetString(), second.GetProperty("id").GetString());
        // Without utterances=true there is no "utterances" at all, as Deepgram answers.
        Assert.DoesNotContain("utterances", TranscriptJson.Write(Spoken(), Metadata));
        // Nothing said: an empty list.
        Assert.Contains("\"utterances\":[]", TranscriptJson.Write(Transcript.Empty(1), Metadata, utteranceSplit: 0.8));
    }

    [Fact]
    public void Joined_chunks_shift_word_times_by_the_chunk_offset()
    {
        var chunk = Example();
        var joined = Transcript.Join([(chunk, 0), (chunk, 30)]);
        Assert.Equal("call zorblax call zorblax", joined.Text);
        Assert.Equal(chunk.Words[0].Start + 30, joined.Words[2].Start, 9);
        Assert.Equal(30 + chunk.Duration, joined.Duration, 9);
    }
}
