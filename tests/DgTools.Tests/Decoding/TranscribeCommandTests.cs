using System.Text.Json;
using DgTools.Decoding;
using DgTools.Language;
using DgTools.Model;
using DgTools.Tests.Data;
using DgTools.Tests.TestSupport;
using Xunit;

namespace DgTools.Tests.Decoding;

public class TranscribeCommandTests
{
    [Fact]
    public void Prints_one_line_per_file_and_deepgram_json_with_json()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, CliRunner.Run(dir.Path, dir.Path, "init", "m.dg", "--size", "tiny").ExitCode);
        TempResources.WriteFile(dir.Path, "a.wav", TempResources.Wav(1, seconds: 2.0));
        TempResources.WriteFile(dir.Path, "b.wav", TempResources.Wav(2, seconds: 1.0));

        var plain = CliRunner.Run(dir.Path, dir.Path, "transcribe", "m.dg", "a.wav", "b.wav");
        Assert.Equal(0, plain.ExitCode);
        Assert.Equal(2, plain.Out.Split('\n').Length - 1);

        var json = CliRunner.Run(dir.Path, dir.Path, "transcribe", "m.dg", "a.wav", "b.wav", "--json", "--greedy");
        Assert.Equal(0, json.ExitCode);
        var lines = json.Out.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        var uuid = ModelFile.Read(dir.Combine("m.dg")).Metadata.Uuid.ToString();
        using var first = JsonDocument.Parse(lines[0]);
        var metadata = first.RootElement.GetProperty("metadata");
        Assert.Equal(2.0, metadata.GetProperty("duration").GetDouble(), 3);
        Assert.Equal(uuid, metadata.GetProperty("models")[0].GetString());
        Assert.Equal(64, metadata.GetProperty("sha256").GetString()!.Length);
        var alternative = first.RootElement.GetProperty("results").GetProperty("channels")[0].GetProperty("alternatives")[0];
        Assert.Equal(JsonValueKind.String, alternative.GetProperty("transcript").ValueKind);
        Assert.InRange(alternative.GetProperty("confidence").GetDouble(), 0, 1);
    }

    [Fact]
    public void Missing_audio_and_bad_flags_are_one_line_errors()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, CliRunner.Run(dir.Path, dir.Path, "init", "m.dg", "--size", "tiny").ExitCode);

        var missing = CliRunner.Run(dir.Path, dir.Path, "transcribe", "m.dg", "nope.wav");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal($"error: audio file not found ({dir.Combine("nope.wav")})\n", missing.Err);

        var beam = CliRunner.Run(dir.Path, dir.Path, "transcribe", "m.dg", "nope.wav", "--beam-size", "0");
        Assert.Equal(2, beam.ExitCode);
        Assert.Contains("beam size", beam.Err);
    }

    [Fact]
    public void Long_recordings_are_recognised_whole_in_pieces()
    {
        var model = ModelLexicon.With(NewModel.Create("en", "g", NewModel.Preset("tiny"), 1), Lexicon.FromTranscripts(["a b"]));
        using var recognizer = new SpeechRecognizer(model);
        int rate = recognizer.SampleRate;
        var samples = new float[70 * rate];
        for (int i = 0; i < samples.Length; i++) samples[i] = (float)(0.3 * Math.Sin(i * 0.05));

        var posteriors = recognizer.PosteriorsBatch([samples])[0];
        var transcript = recognizer.Transcribe(samples);

        Assert.Equal(70.0, posteriors.DurationSeconds, 0);
        Assert.Equal(70.0, transcript.Duration, 6);
        Assert.All(transcript.Words, w => Assert.InRange(w.Start, 0, 70));
        Assert.Equal(recognizer.Decoder.Decode(posteriors).Text, transcript.Text);
    }

    [Fact]
    public void Posteriors_computed_once_decode_to_what_transcription_gives()
    {
        var model = ModelLexicon.With(NewModel.Create("en", "g", NewModel.Preset("tiny"), 1), Lexicon.FromTranscripts(["a b", "b a a"]));
        using var recognizer = new SpeechRecognizer(model);
        var random = new Random(5);
        var utterances = new[] { 0.7, 2.3, 0.01, 1.4 }
            .Select(seconds => Enumerable.Range(0, (int)(seconds * recognizer.SampleRate)).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray())
            .ToList();

        var posteriors = recognizer.PosteriorsBatch(utterances, maxBatchSeconds: 3);
        var transcripts = recognizer.TranscribeBatch(utterances, maxBatchSeconds: 3);

        Assert.Equal(utterances.Count, posteriors.Count);
        Assert.Equal(0, posteriors[2].Frames);   // 10 ms: shorter than one feature frame
        for (int i = 0; i < utterances.Count; i++)
            Assert.Equal(transcripts[i].Text, recognizer.Decoder.Decode(posteriors[i]).Text);
    }
}
