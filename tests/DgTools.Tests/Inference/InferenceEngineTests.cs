using DgTools.Alignment;
using DgTools.Audio;
using DgTools.Decoding;
using DgTools.Inference;
using DgTools.Model;
using DgTools.Reporting;
using DgTools.Tests.Data;
using DgTools.Training;
using Xunit;
using DgTools.Preparation;

namespace DgTools.Tests.Inference;

public class InferenceEngineTests
{
    private static DgModel TinyModel() => NewModel.Create("en", "g", NewModel.Preset("tiny"), 7);

    private static readonly DecodingOptions Greedy = new() { Greedy = true };

    [Fact]
    public void Transcribe_evaluate_check_and_validation_see_the_same_posteriors()
    {
        using var resources = new TempResources();
        var set = resources.SetDir("set");
        var seconds = new[] { 0.4, 0.9, 1.7, 3.1 };
        for (var i = 0; i < seconds.Length; i++)
        {
            TempResources.WriteFile(set, $"u{i}.wav", TempResources.Wav(i + 1, seconds: seconds[i]));
            TempResources.WriteText(set, $"u{i}.txt", "a b");
        }
        var paths = seconds.Select((_, i) => Path.Combine(set, $"u{i}.wav")).ToList();
        var model = TinyModel();

        // transcribe: one file at a time (SpeechRecognizer.TranscribeFile → PosteriorsBatch of that file).
        using var recognizer = new SpeechRecognizer(model, options: Greedy);
        var transcribe = paths.Select(p => recognizer.PosteriorsBatch([AudioDecoder.Load(p, recognizer.SampleRate)])[0]).ToList();
        // evaluate: every file in one call (ModelEvaluation → TranscribeBatch → PosteriorsBatch), batched together.
        var evaluate = recognizer.PosteriorsBatch(paths.Select(p => AudioDecoder.Load(p, recognizer.SampleRate)).ToList());
        // check and long-recording alignment: the posterior source over the file.
        using var check = new ModelPosteriorSource(model);
        var aligned = paths.Select(check.Compute).ToList();
        // validation during training: features from the feature cache, normalised by CachedUtterances.
        var validate = TrainingDataLoader.LoadDirectory(set, resources.Resources, "en", model, new RecordingReporter())!;
        using var network = ConformerCtc.FromFile(model);
        network.train();
        var validation = new Validator(network, model.Metadata, validate, null, 100).Posteriors(validate);
        Assert.True(network.training, "validation puts the training mode back");

        for (var i = 0; i < paths.Count; i++)
        {
            var k = validate.Examples.ToList().FindIndex(e => e.AudioPath == paths[i]);
            Assert.True(transcribe[i].Frames > 0);
            Assert.Equal(transcribe[i].Values, aligned[i].Values);
            // Validation batches its utterances as evaluate does (all four in one call here): the same inputs.
            Assert.Equal(evaluate[i].Values, validation[k].Values);
            // Batched with longer files, an utterance is zero-padded; the network masks the padding, so only the
            // order of floating-point sums differs from running it alone.
            Assert.Equal(transcribe[i].Frames, evaluate[i].Frames);
            for (var v = 0; v < transcribe[i].Values.Length; v++) Assert.InRange(Math.Abs(transcribe[i].Values[v] - evaluate[i].Values[v]), 0, 1e-4);
        }
        Assert.Equal(transcribe[^1].Values, evaluate[^1].Values);   // the longest sets the padded length: nothing padded
    }

    [Fact]
    public void A_long_recording_runs_in_pieces_with_context_that_match_the_whole()
    {
        var model = TinyModel();
        using var whole = new InferenceEngine(model, options: new InferenceOptions(ChunkSeconds: 100));
        using var pieces = new InferenceEngine(model, options: new InferenceOptions(ChunkSeconds: 4, ContextSeconds: 2));
        var random = new Random(3);
        var samples = Enumerable.Range(0, 11 * whole.SampleRate).Select(i => (float)(0.3 * Math.Sin(i * 0.05) + 0.05 * (random.NextDouble() - 0.5))).ToArray();

        var reference = whole.Posteriors(samples);
        var chunked = pieces.Posteriors(samples);

        Assert.Equal(reference.Frames, chunked.Frames);
        // Away from the edges of its piece, a frame sees the same 2 s of context either way: the tiny model's
        // receptive field is smaller than that, so the central outputs agree closely.
        var differences = Enumerable.Range(0, reference.Values.Length).Select(i => Math.Abs(reference.Values[i] - chunked.Values[i])).ToList();
        Assert.True(differences.Average() < 0.05, $"mean difference {differences.Average()}");
    }

    [Fact]
    public void Batches_are_sorted_by_length_and_bounded_by_padded_frames()
    {
        var batches = InferenceEngine.PlanBatches([300, 100, 200, 5000, 120], maxFrames: 600);

        Assert.Equal([[1, 4, 2], [0], [3]], batches);
    }

    [Fact]
    public void Features_extracted_a_minute_at_a_time_equal_the_whole_files()
    {
        var model = TinyModel();
        using var engine = new InferenceEngine(model);
        var random = new Random(2);
        var minute = Enumerable.Range(0, (int)(61.3 * 16000)).Select(_ => (float)(0.1 * (random.NextDouble() - 0.5))).ToArray();

        Assert.Equal(new FbankExtractor(model.Metadata.Features).Compute(minute).Data, engine.RawFeatures(minute).Data);
    }
}
