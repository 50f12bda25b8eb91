using DgTools.Alignment;
using DgTools.Tests.TestSupport;
using DgTools.Text;
using Xunit;
using DgTools.Preparation;

namespace DgTools.Tests.Alignment;

public sealed class SegmentationTests
{
    /// <summary>A ~2-minute call: 30 utterances; in the transcript, utterance 12 is replaced by a wrong sentence.</summary>
    private static (SyntheticRecording Recording, string Transcript, int WrongFrom, int WrongTo) CallWithAWrongSentence(int seed)
    {
        var random = new Random(seed);
        var spoken = Enumerable.Range(0, 30)
            .Select(_ => (IReadOnlyList<string?>)SyntheticRecording.RandomSentence(random, 5 + random.Next(8)))
            .ToList();
        var recording = SyntheticRecording.Build(random, spoken, SyntheticRecording.English);
        var wrong = new[] { "please", "transfer", "the", "remaining", "balance", "before", "friday", "evening" };
        var transcriptWords = new List<string>();
        int wrongFrom = 0, wrongTo = 0;
        for (var i = 0; i < spoken.Count; i++)
        {
            if (i == 12)
            {
                wrongFrom = transcriptWords.Count;
                transcriptWords.AddRange(wrong);
                wrongTo = transcriptWords.Count;
            }
            else transcriptWords.AddRange(spoken[i]!.Select(w => w!));
        }
        return (recording, string.Join(' ', transcriptWords), wrongFrom, wrongTo);
    }

    [Fact]
    public void A_wrong_sentence_is_flagged_and_its_segment_excluded_and_the_rest_is_cut_into_2_to_20_second_samples()
    {
        using var dir = new TempDirectory();
        var dataset = dir.Combine("calls");
        Directory.CreateDirectory(dataset);
        var (recording, transcript, wrongFrom, wrongTo) = CallWithAWrongSentence(3);
        var audio = Path.Combine(dataset, "call.wav");
        File.WriteAllBytes(audio, [1, 2, 3, 4]);
        var model = new FakePosteriorSource("model-a");
        model.Add(audio, recording.Posteriors);
        var segmenter = new LongRecordingSegmenter(
            new RecordingAligner(model, TextNormalizer.For("en"), new AlignmentOptions()), new SegmentationOptions());

        var result = segmenter.Segment(new LongRecording(audio, transcript, dataset),
            recording.Posteriors.DurationSeconds, transcript);

        Assert.True(recording.Posteriors.DurationSeconds > 100, $"{recording.Posteriors.DurationSeconds:F0} s");
        var segments = result.Segments;
        // Every transcript word is in exactly one segment, in order.
        Assert.Equal(transcript, string.Join(' ', segments.Select(s => s.Text)));
        var wrongSegments = segments.Where(s => s.FirstWord < wrongTo && s.LastWord >= wrongFrom).ToList();
        Assert.NotEmpty(wrongSegments);
        Assert.All(wrongSegments, s => Assert.False(s.Usable, $"segment {s.Index} ({s.Text}) was kept"));
        var others = segments.Except(wrongSegments).ToList();
        Assert.True(others.Count(s => s.Usable) >= others.Count - 1,
            string.Join("\n", others.Where(s => !s.Usable).Select(s => $"{s.Text}: {s.ExcludedBecause}")));
        Assert.All(segments.Where(s => s.Usable), s => Assert.InRange(s.Duration, 2.0, 20.0));
        Assert.True(segments.Count >= 6, $"{segments.Count} segments");
        // Segments do not overlap.
        Assert.All(segments.Zip(segments.Skip(1)), p => Assert.True(p.First.End <= p.Second.Start + 1e-9));
    }

    [Fact]
    public void A_second_run_reuses_the_stored_alignment_until_audio_transcript_or_model_change()
    {
        using var dir = new TempDirectory();
        var dataset = dir.Combine("calls");
        Directory.CreateDirectory(Path.Combine(dataset, "june"));
        var (recording, transcript, _, _) = CallWithAWrongSentence(4);
        var audio = Path.Combine(dataset, "june", "call.wav");
        File.WriteAllBytes(audio, [1, 2, 3, 4]);
        var model = new FakePosteriorSource("model-a");
        model.Add(audio, recording.Posteriors);
        var call = new LongRecording(audio, transcript, dataset);
        RecordingAligner NewRun() => new(model, TextNormalizer.For("en"), new AlignmentOptions());

        var first = NewRun();
        var firstSegments = RecordingSegmenter.Cut(first.AlignOrReuse(call), new SegmentationOptions());
        Assert.Equal((1, 0), (first.Aligned, first.Reused));
        Assert.True(File.Exists(Path.Combine(dataset, "resource_properties", "june", "call.wav.align.json")));

        var second = NewRun();
        var secondSegments = RecordingSegmenter.Cut(second.AlignOrReuse(call), new SegmentationOptions());
        Assert.Equal((0, 1), (second.Aligned, second.Reused));
        Assert.Equal(1, model.Calls);
        Assert.Equal(firstSegments, secondSegments);

        var edited = NewRun();
        edited.AlignOrReuse(call with { Transcript = transcript + " extra" });
        Assert.Equal(1, edited.Aligned);

        model.ModelId = "model-b";
        var otherModel = NewRun();
        otherModel.AlignOrReuse(call with { Transcript = transcript + " extra" });
        Assert.Equal(1, otherModel.Aligned);

        File.WriteAllBytes(audio, [1, 2, 3, 5]);
        var newAudio = NewRun();
        newAudio.AlignOrReuse(call with { Transcript = transcript + " extra" });
        Assert.Equal(1, newAudio.Aligned);
        Assert.Equal(4, model.Calls);
    }

    [Fact]
    public void Short_recordings_pass_through_whole_without_the_model()
    {
        using var dir = new TempDirectory();
        var model = new FakePosteriorSource("m");
        var segmenter = new LongRecordingSegmenter(
            new RecordingAligner(model, TextNormalizer.For("en"), new AlignmentOptions()), new SegmentationOptions());
        var result = segmenter.Segment(new LongRecording(dir.Combine("a.wav"), "hello there", dir.Path), 12.5, "hello there");
        var only = Assert.Single(result.Segments);
        Assert.Equal((0.0, 12.5, "hello there", true), (only.Start, only.End, only.Text, only.Usable));
        Assert.Equal(0, model.Calls);
        Assert.Null(result.Alignment);
    }

    [Fact]
    public void Untranscribed_audio_between_words_is_cut_out()
    {
        var words = new List<StoredWord>();
        for (var i = 0; i < 40; i++) words.Add(new StoredWord($"w{i}", i * 20, i * 20 + 15, -0.1));
        // 3 s of untranscribed speech before word 20 (frames 395..470), words after it shifted.
        for (var i = 20; i < 40; i++) words[i] = words[i] with { StartFrame = words[i].StartFrame + 80, EndFrame = words[i].EndFrame + 80 };
        var alignment = new RecordingAlignment
        {
            Audio = "a.wav", AudioHash = "", TranscriptHash = "", ModelId = "", Options = "", FrameSeconds = 0.04,
            Frames = 900, Aligned = true, Words = words, Untranscribed = [new StoredStretch(20, 396, 472)],
        };
        var segments = RecordingSegmenter.Cut(alignment, new SegmentationOptions());
        Assert.Contains(segments, s => s.LastWord == 19);
        Assert.Contains(segments, s => s.FirstWord == 20);
        var before = segments.Single(s => s.LastWord == 19);
        var after = segments.Single(s => s.FirstWord == 20);
        Assert.True(before.End <= 396 * 0.04 + 1e-9 && after.Start >= 472 * 0.04 - 1e-9, $"{before.End} .. {after.Start}");
    }
}

public sealed class SegmentationFromDiscoveryTests
{
    [Fact]
    public void A_discovered_long_recording_is_segmented_through_the_utterance_overload()
    {
        using var dir = new TempDirectory();
        var set = dir.Combine("dgdatasets", "calls");
        Directory.CreateDirectory(set);
        var random = new Random(8);
        var spoken = Enumerable.Range(0, 8)
            .Select(_ => (IReadOnlyList<string?>)SyntheticRecording.RandomSentence(random, 6 + random.Next(6))).ToList();
        var recording = SyntheticRecording.Build(random, spoken, SyntheticRecording.English);
        var audio = Path.Combine(set, "call.wav");
        TestWav.Write(audio, TestWav.Tone(recording.Posteriors.DurationSeconds, 8000, 0.1), 8000);
        File.WriteAllText(Path.Combine(set, "call.txt"), string.Join(' ', spoken.SelectMany(u => u)).ToUpperInvariant() + ".");
        var model = new FakePosteriorSource("m");
        model.Add(audio, recording.Posteriors);

        var discovery = new DgTools.Data.DatasetDiscovery(new DgTools.Data.ResourceDirectory(dir.Path), "en", new DgTools.Reporting.RecordingReporter())
            .Discover();
        var utterance = Assert.Single(discovery.LongRecordings);
        var segmenter = new LongRecordingSegmenter(
            new RecordingAligner(model, TextNormalizer.For("en"), new AlignmentOptions()), new SegmentationOptions());
        var result = segmenter.Segment(utterance, discovery.Datasets);

        Assert.True(result.Segments.Count >= 2);
        Assert.All(result.Segments, s => Assert.True(s.Usable, s.ExcludedBecause));
        Assert.Equal(utterance.Text, string.Join(' ', result.Segments.Select(s => s.Text)));
    }
}
