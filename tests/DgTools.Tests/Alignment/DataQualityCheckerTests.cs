using DgTools.Decoding;
using DgTools.Alignment;
using DgTools.Reporting;
using DgTools.Tests.TestSupport;
using DgTools.Text;
using Xunit;
using DgTools.Quality;

namespace DgTools.Tests.Alignment;

public sealed class DataQualityCheckerTests
{
    private const int Rate = 8000;

    private sealed class Set : IDisposable
    {
        private readonly TempDirectory _dir = new();
        public Set() => Directory.CreateDirectory(Path);
        public string Path => _dir.Combine("calls");
        public FakePosteriorSource Model { get; } = new("model-x");
        public List<(string, LongRecording)> Recordings { get; } = [];

        public void Add(string name, float[] samples, string transcript, CtcPosteriors? posteriors = null)
        {
            var audio = System.IO.Path.Combine(Path, name + ".wav");
            TestWav.Write(audio, samples, Rate);
            if (posteriors is not null) Model.Add(audio, posteriors);
            Recordings.Add(("calls", new LongRecording(audio, transcript, Path)));
        }

        public void Dispose() => _dir.Dispose();
    }

    private static (CtcPosteriors Posteriors, string Transcript) Short(int seed, int words = 8)
    {
        var random = new Random(seed);
        var sentence = SyntheticRecording.RandomSentence(random, words);
        var recording = SyntheticRecording.Build(random, [sentence.Cast<string?>().ToList()], SyntheticRecording.English);
        return (recording.Posteriors, string.Join(' ', sentence));
    }

    // Synthetic posteriors give a wrong unit about log 0.01 (-4.6); the product's short-recording threshold (-5.5) is tuned
    // on a real model's scores (bench/reliability/check-mismatch.py), so these tests judge words on the synthetic scale.
    private static readonly QualityCheckOptions Synthetic = new() { MismatchWordScore = -3.0 };

    [Fact]
    public void Finds_each_kind_of_problem_and_counts_usable_audio()
    {
        using var set = new Set();
        var (goodPosteriors, goodText) = Short(1);
        set.Add("good", TestWav.Tone(goodPosteriors.DurationSeconds, Rate, 0.1), goodText, goodPosteriors);
        File.Copy(Path.Combine(set.Path, "good.wav"), Path.Combine(set.Path, "copy.wav"));
        set.Model.Add(Path.Combine(set.Path, "copy.wav"), goodPosteriors);
        set.Recordings.Add(("calls", new LongRecording(Path.Combine(set.Path, "copy.wav"), goodText, set.Path)));
        set.Add("silent", new float[Rate * 2], "nothing was said here");
        var (clipPosteriors, clipText) = Short(2);
        var square = TestWav.Tone(clipPosteriors.DurationSeconds, Rate, 1.0).Select(s => s >= 0 ? 1f : -1f).ToArray();
        set.Add("clipped", square, clipText, clipPosteriors);
        set.Add("cyrillic", TestWav.Tone(2, Rate, 0.1), "привет мир как дела у тебя");
        var (otherPosteriors, _) = Short(3);
        set.Add("mismatch", TestWav.Tone(otherPosteriors.DurationSeconds, Rate, 0.1),
            "quarterly revenue exceeded every forecast we published", otherPosteriors);

        var aligner = new RecordingAligner(set.Model, TextNormalizer.For("en"), new AlignmentOptions());
        var report = new DataQualityChecker(aligner, TextNormalizer.For("en"), Synthetic, new RecordingReporter())
            .Check(set.Recordings);

        var byName = report.Recordings.ToDictionary(r => Path.GetFileNameWithoutExtension(r.Audio));
        string Kinds(string name) => string.Join(",", byName[name].Issues.Select(i => i.Kind));
        Assert.Equal("", Kinds("good"));
        Assert.Empty(byName["good"].Stretches);
        Assert.Equal("duplicate", Kinds("copy"));
        Assert.Contains("calls/good.wav", byName["copy"].Issues[0].Detail);
        Assert.Equal("silence only", Kinds("silent"));
        Assert.Equal("clipping", Kinds("clipped"));
        Assert.Equal("wrong language or character set", Kinds("cyrillic"));
        Assert.Equal("transcript does not match the audio", Kinds("mismatch"));
        Assert.NotEmpty(byName["mismatch"].Stretches);

        // Usable: good and clipped (clipping is reported, not blocking); nothing else.
        Assert.Equal(byName["good"].DurationSeconds + byName["clipped"].DurationSeconds, report.UsableSeconds, 6);
        Assert.Equal(5, report.RecordingsWithProblems);
        Assert.Contains("6 recordings", report.Summary);
    }

    [Fact]
    public void A_wrong_sentence_in_a_long_call_is_listed_with_what_the_model_heard_and_its_segment_excluded()
    {
        using var set = new Set();
        var random = new Random(21);
        var spoken = Enumerable.Range(0, 12)
            .Select(_ => (IReadOnlyList<string?>)SyntheticRecording.RandomSentence(random, 6 + random.Next(6)))
            .ToList();
        var recording = SyntheticRecording.Build(random, spoken, SyntheticRecording.English);
        var transcript = spoken.Select((u, i) => i == 5 ? "our delivery truck broke down near the bridge" : string.Join(' ', u))
            .ToList();
        set.Add("call", TestWav.Tone(recording.Posteriors.DurationSeconds, Rate, 0.1), string.Join(' ', transcript),
            recording.Posteriors);

        var aligner = new RecordingAligner(set.Model, TextNormalizer.For("en"), new AlignmentOptions());
        var report = new DataQualityChecker(aligner, TextNormalizer.For("en"), Synthetic, new RecordingReporter())
            .Check(set.Recordings);

        var call = Assert.Single(report.Recordings);
        Assert.True(call.DurationSeconds > 20);
        Assert.Empty(call.Issues);
        var stretch = Assert.Single(call.Stretches, s => s.Kind == "poor fit" && s.Expected.Contains("delivery"));
        var sentenceStart = recording.Words[recording.UtteranceStarts[5]].Start;
        var sentenceEnd = recording.Words[recording.UtteranceStarts[6] - 1].End;
        Assert.True(stretch.Start < sentenceEnd && stretch.End > sentenceStart, $"{stretch.Start}-{stretch.End} vs {sentenceStart}-{sentenceEnd}");
        // What the model heard there is the sentence actually spoken.
        Assert.Contains(string.Join(' ', spoken[5].Skip(1).Take(2)), stretch.Heard);
        Assert.True(call.ExcludedSegments >= 1);
        Assert.True(call.UsableSeconds < call.DurationSeconds - (sentenceEnd - sentenceStart));

        var markdown = report.ToMarkdown();
        Assert.Contains("| poor fit |", markdown);
        Assert.Contains("our delivery truck", markdown);
        Assert.Contains("\"kind\": \"poor fit\"", report.ToJson());
    }

    [Fact]
    public void A_score_of_minus_infinity_is_written_as_the_lowest_float_score_so_the_json_stays_valid()
    {
        // Found by the language matrix: a Korean model's check of English transcripts crashed writing its JSON report.
        var report = new QualityReport("m", [
            new RecordingQuality("s", "a.wav", 1.0, 0, 0, 0, double.NegativeInfinity,
                [new QualityIssue("transcript does not match the audio", "100 % of its words do not fit the audio", true)],
                [new SuspiciousStretch("poor fit", 0, 1, "one", "", double.NegativeInfinity)]),
        ]);
        var json = System.Text.Json.JsonDocument.Parse(report.ToJson()).RootElement.GetProperty("recordings")[0];
        Assert.Equal(-103.28, json.GetProperty("mean_word_score").GetDouble());
        Assert.Equal(-103.28, json.GetProperty("suspicious")[0].GetProperty("score").GetDouble());
    }

    [Fact]
    public void Report_formats_match_the_golden_files()
    {
        var report = new QualityReport("5f0c6f0e-model", [
            new RecordingQuality("calls", "june/a.wav", 95.5, 80.25, 6, 1, -0.42,
                [new QualityIssue("clipping", "0.50 % of samples at full scale", false)],
                [
                    new SuspiciousStretch("poor fit", 61.2, 64.0, "our delivery | truck", "the order was late", -4.25),
                    new SuspiciousStretch("untranscribed", 70.0, 72.5, "", "hello hello", double.NaN),
                ]),
            new RecordingQuality("calls", "b.wav", 4.0, 0, 0, 0, null, [new QualityIssue("silence only", "every sample is zero", true)], []),
            new RecordingQuality("calls", "c.wav", 3.0, 3.0, 1, 0, -0.1, [], []),
        ]);
        Golden.Assert("quality-report.md", report.ToMarkdown());
        Golden.Assert("quality-report.json", report.ToJson());
    }
}
