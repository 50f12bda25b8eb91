// autotrain with long recordings next to short ones: real spoken digits joined into ~30–40 s calls, aligned by a tiny
// model that learned those digits (Fixtures/Alignment/digits-aligner.dg), cut into segments that train; a sentence the
// call never says is left out; a second run reuses the alignments in resource_properties/.
using DgTools.Decoding;
using DgTools.Alignment;
using DgTools.Data;
using DgTools.Model;
using DgTools.Reporting;
using DgTools.Tests.TestSupport;
using DgTools.Training;
using Xunit;
using Xunit.Abstractions;
using DgTools.Preparation;

namespace DgTools.Tests.Alignment;

[Trait("Tier", "Slow")]   // training runs, processes or timed trials: the full suite only (not scripts/test.sh --fast)
public sealed class AutotrainLongRecordingTests(ITestOutputHelper output)
{
    private static readonly int[] CallTakes = [4, 5, 6, 7, 8, 9];

    /// <summary>Short digits (takes 1–2 train, 3 validates) and a "calls" set: monday (a wrong sentence), tuesday
    /// (clean), garbled (a tone with a transcript far longer than the audio can hold).</summary>
    private static string MakeResources(TempDirectory dir)
    {
        var res = dir.Combine("res");
        DigitsResources.Create(res, "george", [1, 2], [3]);
        var calls = Path.Combine(res, "dgdatasets", "calls");
        Directory.CreateDirectory(calls);
        DigitCalls.Write(Path.Combine(calls, "monday"), sentences: 14, seed: 1, CallTakes, wrongSentence: 6);
        DigitCalls.Write(Path.Combine(calls, "tuesday"), sentences: 10, seed: 2, CallTakes);
        TestWav.Write(Path.Combine(calls, "garbled.wav"), TestWav.Tone(22, 8000, 0.1), 8000);
        File.WriteAllText(Path.Combine(calls, "garbled.txt"), string.Join(' ', Enumerable.Repeat("seven", 200)));
        return res;
    }

    [FsddFact]
    public void Segments_train_with_their_recording_on_one_side_of_the_split_and_a_wrong_sentence_is_left_out()
    {
        using var dir = new TempDirectory();
        var res = MakeResources(dir);
        // Audio whose header is fine (so discovery takes it as a 25 s recording) but whose samples are not numbers.
        WriteFloatWav(Path.Combine(res, "dgdatasets", "calls", "broken.wav"),
            Enumerable.Range(0, 25 * 8000).Select(i => i % 1000 == 0 ? float.NaN : 0.1f).ToArray(), 8000);
        File.WriteAllText(Path.Combine(res, "dgdatasets", "calls", "broken.txt"), "one two three");
        var model = ModelFile.Read(DigitCalls.AlignerModel, ModelArchitecture.ExpectedShapes);
        var reporter = new RecordingReporter();

        var data = TrainingDataLoader.Load(new ResourceDirectory(res), "en", null, model, reporter,
            new AlignmentModel(() => new ModelPosteriorSource(model, DigitCalls.AlignerModel), Untrained: false));

        foreach (var line in reporter.Infos.Concat(reporter.Warnings)) output.WriteLine(line);
        var segments = data.Train.Examples.Concat(data.Validate.Examples).Where(e => e.Span is not null).ToList();
        foreach (var call in new[] { "calls/monday", "calls/tuesday" })
        {
            var mine = segments.Where(s => s.SourceId.StartsWith(call + "#", StringComparison.Ordinal)).ToList();
            Assert.True(mine.Count >= 2, $"{call}: {mine.Count} segments");
            // All of a recording's segments train, or all validate.
            Assert.True(mine.All(data.Train.Examples.Contains) || mine.All(data.Validate.Examples.Contains), call);
        }
        Assert.All(segments, s =>
        {
            Assert.InRange(s.Span!.Duration, 2.0, 20.0);
            Assert.InRange(s.Frames, (int)(s.Span.Duration * 100) - 3, (int)(s.Span.Duration * 100) + 1);
            Assert.DoesNotContain("please", s.Text);
            Assert.Equal(s.Text.Length, s.Labels.Length);
        });
        Assert.DoesNotContain(segments, s => s.SourceId.StartsWith("calls/garbled", StringComparison.Ordinal));
        Assert.Contains(reporter.Infos, i => i.StartsWith("Long recordings: 4 recordings, ", StringComparison.Ordinal));
        Assert.Contains(reporter.Warnings, w => w.StartsWith("calls/broken.wav: unreadable audio (not used)"));
        Assert.DoesNotContain(segments, s => s.SourceId.StartsWith("calls/broken", StringComparison.Ordinal));
        Assert.Contains(reporter.Warnings, w => w.StartsWith("calls/monday.wav: ") && w.Contains("segments left out"));
        Assert.Contains(reporter.Warnings, w => w.StartsWith("calls/garbled.wav: transcript does not fit") && w.Contains("not used"));
        Assert.Contains(reporter.Infos, i => i.StartsWith($"Long recordings: 4 gave {segments.Count} training segments ({segments.Count} from alignments made now, 0 reused"));
        // The split records recordings, not segments.
        var split = File.ReadAllText(new ResourceDirectory(res).SplitsFile);
        Assert.Contains("\tcalls/monday\n", split);
        Assert.DoesNotContain("#", split);
        // The short digits are whole files; the long recordings are not warned about as skipped files.
        Assert.Equal(30, data.Train.Examples.Concat(data.Validate.Examples).Count(e => e.Span is null));
        Assert.Contains("data set 'calls': 0 pairs used, 4 long recordings (over 20 s, to cut into segments), 0 files skipped", reporter.Infos);
        Assert.DoesNotContain(reporter.Warnings, w => w.Contains("tuesday"));
    }

    [FsddFact]
    public void Autotrain_reports_segments_made_and_dropped_and_the_second_run_reuses_the_alignments()
    {
        using var dir = new TempDirectory();
        var res = MakeResources(dir);
        File.Copy(DigitCalls.AlignerModel, dir.Combine("calls.dg"));
        string[] args = ["autotrain", "calls.dg", "--revisit-count", "1", "--threads", "1", "--seed", "1"];

        var first = CliRunner.Run(dir.Path, res, args);
        output.WriteLine(first.Out + first.Err);
        Assert.True(first.ExitCode == 0, first.Err);
        var counts = System.Text.RegularExpressions.Regex.Match(first.Out,
            @"Long recordings: 3 gave (\d+) training segments \((\d+) from alignments made now, 0 reused from resource_properties/\); (\d+) segments dropped");
        Assert.True(counts.Success, first.Out);
        Assert.Equal(counts.Groups[1].Value, counts.Groups[2].Value);
        Assert.True(int.Parse(counts.Groups[3].Value) >= 2, "monday's wrong sentence and garbled are dropped");
        Assert.Contains("Long recordings: 3 recordings, ", first.Out);
        var stored = Directory.GetFiles(Path.Combine(res, "dgdatasets", "calls", AlignmentStore.DirectoryName), "*" + AlignmentStore.Extension)
            .ToDictionary(f => f, File.GetLastWriteTimeUtc);
        Assert.Equal(3, stored.Count);

        var second = CliRunner.Run(dir.Path, res, args);
        output.WriteLine(second.Out + second.Err);
        Assert.True(second.ExitCode == 0, second.Err);
        Assert.Contains($"Long recordings: 3 gave {counts.Groups[1].Value} training segments (0 from alignments made now, " +
                        $"{counts.Groups[1].Value} reused from resource_properties/); {counts.Groups[3].Value} segments dropped", second.Out);
        Assert.All(stored, f => Assert.Equal(f.Value, File.GetLastWriteTimeUtc(f.Key)));
    }

    private static void WriteFloatWav(string path, float[] samples, int rate)
    {
        using var w = new BinaryWriter(File.Create(path));
        w.Write("RIFF"u8);
        w.Write(36 + samples.Length * 4);
        w.Write("WAVEfmt "u8);
        w.Write(16);
        w.Write((short)3); // IEEE float
        w.Write((short)1);
        w.Write(rate);
        w.Write(rate * 4);
        w.Write((short)4);
        w.Write((short)32);
        w.Write("data"u8);
        w.Write(samples.Length * 4);
        foreach (var s in samples) w.Write(s);
    }

    [FsddFact]
    public void A_model_that_hears_nothing_useful_drops_every_segment_and_says_it_cannot_align_yet()
    {
        using var dir = new TempDirectory();
        var set = dir.Combine("calls");
        Directory.CreateDirectory(set);
        var audio = Path.Combine(set, "call.wav");
        TestWav.Write(audio, TestWav.Tone(30, 16000, 0.1), 16000);
        var text = string.Join(' ', Enumerable.Repeat("please call me back tomorrow afternoon", 10));
        File.WriteAllText(Path.Combine(set, "call.txt"), text);
        // Every unit equally likely on every frame: what a model that has learned nothing about this audio says.
        var weak = new FakePosteriorSource("weak");
        const int units = 29, frames = 750;
        weak.Add(audio, new CtcPosteriors(Enumerable.Repeat((float)-Math.Log(units), frames * units).ToArray(), units, 0.04));
        var reporter = new RecordingReporter();
        var recording = new DgTools.Data.Utterance("calls/call", "calls", audio, Path.Combine(set, "call.txt"), text, text, 30);

        var result = LongRecordingExamples.Make([recording], [new DatasetLocation("calls", set)],
            new AlignmentModel(() => weak, Untrained: false), "en",
            new FeatureCache(dir.Combine("cache"), new DgTools.Audio.FeatureConfig(), reporter), reporter);

        Assert.Equal(1, weak.Calls);
        Assert.Empty(result.BySourceId);
        Assert.Equal(0, result.Counts.Usable);
        Assert.Contains(reporter.Warnings, w => w.StartsWith("calls/call.wav: transcript does not match the audio"));
        Assert.Contains(reporter.Warnings, w => w.StartsWith("the model cannot align the long recordings yet"));
    }

    [FsddFact]
    public void An_untrained_model_leaves_long_recordings_out_and_says_how_to_proceed()
    {
        var reporter = new RecordingReporter();
        var opened = false;
        var recording = new DgTools.Data.Utterance("calls/monday", "calls", "/nowhere/monday.wav", "/nowhere/monday.txt", "one two", "one two", 61);

        var result = LongRecordingExamples.Make([recording], [new DatasetLocation("calls", "/nowhere")],
            new AlignmentModel(() => { opened = true; throw new InvalidOperationException(); }, Untrained: true), "en",
            new FeatureCache("/nowhere/cache", new DgTools.Audio.FeatureConfig(), reporter), reporter);

        Assert.False(opened);
        Assert.Empty(result.BySourceId);
        Assert.Equal(new LongRecordingCounts(1, 0, 0, 0, 1), result.Counts);
        Assert.Contains("an untrained model cannot align them yet", Assert.Single(reporter.Warnings));
    }
}
