// A model that tunes the speech-embedding network (autotrain --tune-front-end): with the weights unchanged it computes
// what the frozen stream computes; training moves the network's weights; a saved tuned model reads back and
// transcribes the same; and the two modes never share cached features.
using DgTools.Audio;
using DgTools.Decoding;
using DgTools.Inference;
using DgTools.Model;
using DgTools.Model.SpeechEmbedding;
using DgTools.Tests.TestSupport;
using DgTools.Training;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DgTools.Tests.Model;

public class TunedSpeechEmbeddingTests(ITestOutputHelper output)
{
    private static string GeneralModel => Path.Combine(RepoPaths.Root, "models", "general-en.dg");

    private static float[] Clip() =>
        AudioDecoder.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Audio", "speechlike_16k.wav"), 16000);

    /// <summary>The bundled model's real front-end weights (it carries the stream).</summary>
    private static Dictionary<string, TensorData> RealFrontEnd() =>
        ModelFile.Read(GeneralModel).Tensors.Where(t => t.Key.StartsWith(SpeechEmbeddingNetwork.Prefix, StringComparison.Ordinal))
            .ToDictionary(t => t.Key, t => t.Value);

    /// <summary>A tiny model with the stream (real weights, LayerNorm fusion), set to tune it.</summary>
    private static DgModel TinyTuned() => NewModel.TuneSpeechEmbedding(
        NewModel.AddSpeechEmbedding(NewModel.Create("en", "tiny", NewModel.Preset("tiny"), seed: 5), RealFrontEnd(), "norm-add"));

    private static float MaxDifference(IReadOnlyList<CtcPosteriors> a, IReadOnlyList<CtcPosteriors> b)
    {
        Assert.Equal(a.Select(p => p.Frames), b.Select(p => p.Frames));
        return a.Zip(b).Max(p => p.First.Values.Zip(p.Second.Values).Max(v => Math.Abs(v.First - v.Second)));
    }

    [Fact]
    public void WithUnchangedWeightsTheTunedModelComputesWhatTheFrozenStreamDoes()
    {
        var frozen = ModelFile.Read(GeneralModel, ModelArchitecture.ExpectedShapes);
        Assert.True(frozen.Metadata.Features.SpeechEmbedding, "the bundled model should carry the stream");
        var tuned = NewModel.TuneSpeechEmbedding(frozen);
        Assert.Equal(80 + 32, tuned.Metadata.Architecture.FeatureColumns);

        // Silence at both ends: there the frozen path's melspectrogram frames over the padded audio are the clip's floor,
        // which is what the tuned model frames each utterance with (TrainableSpeechEmbedding). Two lengths in one batch.
        var clip = Clip();
        float[] Framed(float[] c) => [.. new float[8000], .. c, .. new float[8000]];
        float[][] audio = [Framed(clip), Framed(clip[..(clip.Length * 2 / 3)])];
        using var frozenEngine = new InferenceEngine(frozen);
        using var tunedEngine = new InferenceEngine(tuned);
        var worst = MaxDifference(frozenEngine.Posteriors(audio), tunedEngine.Posteriors(audio));
        output.WriteLine($"max |Δ log-probability| = {worst:E2}");
        Assert.True(worst < 1e-4, $"the tuned model's output differs from the frozen stream's by {worst:E2}");

        // Without the silence the clip's edges differ (its first and last melspectrogram frames); the middle does not.
        var edge = MaxDifference(frozenEngine.Posteriors([clip]), tunedEngine.Posteriors([clip]));
        output.WriteLine($"unframed clip: max |Δ log-probability| = {edge:E2}");
    }

    [Fact]
    public void TrainingMovesTheFrontEndWeightsAndTheLossFalls()
    {
        // The scope keeps every temporary tensor referenced until the test ends: a bare temporary can be finalized by
        // the GC while a native call still reads it (a crash in libtorch, not a failed assertion).
        using var scope = NewDisposeScope();
        var model = TinyTuned();
        using var frontEnd = FeatureFrontEnd.For(model);
        var clip = Clip();
        var random = new Random(3);
        var utterances = Enumerable.Range(0, 4).Select(i =>
        {
            var features = frontEnd.Compute(clip.AsSpan(i * 1600, clip.Length - 6400)).Normalized(model.Metadata.Features);
            var labels = Enumerable.Range(0, 6).Select(_ => random.Next(1, model.Metadata.Architecture.NumUnits)).ToArray();
            return new Utterance(features.Data.ToArray(), features.Frames, labels);
        }).ToList();
        using var network = ConformerCtc.FromFile(model);
        var start = network.NamedTensors().Where(t => t.Key.StartsWith("speech_embedding.conv", StringComparison.Ordinal))
            .ToDictionary(t => t.Key, t => t.Value.detach().clone());
        Assert.Equal(39, start.Count);
        Assert.All(start.Keys, name => Assert.Contains(network.named_parameters(), p => p.name == name));

        var options = new TrainerOptions
        {
            Seed = 1,
            Batching = new BatchingOptions { MaxFramesPerBatch = 4000 },
            Schedule = new LearningRateSchedule { PeakLearningRate = 2e-3, WarmupSteps = 3, TotalSteps = 40 },
            Augmentation = new AugmentationOptions { FrequencyMasks = 0, TimeMasksPer100Frames = 0, MinSpeed = 1, MaxSpeed = 1 },
        };
        using var trainer = new Trainer(network, new InMemoryUtterances(utterances), options);
        var losses = new List<double>();
        while (trainer.Progress.Step < 40) losses.Add(trainer.TrainStep().Loss);
        var (first, last) = (losses.Take(5).Average(), losses.TakeLast(5).Average());
        output.WriteLine($"loss {first:F2} → {last:F2}");
        Assert.True(last < 0.7 * first, $"loss fell only from {first:F2} to {last:F2}");

        using var noGrad = no_grad();
        var moved = start.Select(s => network.NamedTensors()[s.Key].sub(s.Value).abs().max().item<float>()).ToList();
        output.WriteLine($"front-end weights moved by up to {moved.Max():E2}; unmoved tensors {moved.Count(m => m == 0)}");
        Assert.All(moved, m => Assert.True(m > 0, "a front-end convolution did not train"));
    }

    [Fact]
    public void TheFrontEndRateScaleScalesOnlyTheNetworksSteps()
    {
        var model = TinyTuned();
        using var frontEnd = FeatureFrontEnd.For(model);
        var features = frontEnd.Compute(Clip()).Normalized(model.Metadata.Features);
        var data = new InMemoryUtterances([new Utterance(features.Data.ToArray(), features.Frames, [3, 5, 7, 9])]);
        (float Network, float Layers) Moved(double? scale)
        {
            using var scope = NewDisposeScope();
            using var network = ConformerCtc.FromFile(model);
            var start = network.NamedTensors().ToDictionary(t => t.Key, t => t.Value.detach().clone());
            var options = new TrainerOptions
            {
                Seed = 1, FrontEndRateScale = scale,
                Schedule = new LearningRateSchedule { PeakLearningRate = 1e-3, WarmupSteps = 1, TotalSteps = 100 },
                Augmentation = new AugmentationOptions { FrequencyMasks = 0, TimeMasksPer100Frames = 0, MinSpeed = 1, MaxSpeed = 1 },
            };
            using var trainer = new Trainer(network, data, options);
            for (var i = 0; i < 4; i++) trainer.TrainStep();
            using var noGrad = no_grad();
            float Change(Func<string, bool> which) => start.Where(s => which(s.Key))
                .Sum(s => network.NamedTensors()[s.Key].sub(s.Value).abs().sum().item<float>());
            return (Change(SpeechEmbeddingNetwork.IsConvolution), Change(n => n.StartsWith("layers.", StringComparison.Ordinal)));
        }
        var (full, scaled) = (Moved(null), Moved(0.01));
        output.WriteLine($"front end moved {full.Network:E2} at the run's rate, {scaled.Network:E2} at 0.01 of it; layers {full.Layers:E2} and {scaled.Layers:E2}");
        Assert.True(full.Network > 0 && scaled.Network < 0.05 * full.Network, "the front end's steps are not scaled");
        Assert.InRange(scaled.Layers / full.Layers, 0.5, 2.0);
    }

    [Fact]
    public void ASavedTunedModelReadsBackAndTranscribesTheSame()
    {
        using var scope = NewDisposeScope();
        var model = TinyTuned();
        using var network = ConformerCtc.FromFile(model);
        using (no_grad())
        {
            // As if tuned: the fusion and one convolution moved (the projection starts at zero).
            var generator = new Generator(9);
            var live = network.NamedTensors();
            live["speech_embedding_proj.weight"].copy_(randn(live["speech_embedding_proj.weight"].shape, generator: generator).mul(0.2));
            live["speech_embedding.conv3.weight"].mul_(1.5);
        }
        var trained = model with { Tensors = network.ExportTensors() };
        using var dir = new TempDirectory();
        var path = dir.Combine("tuned.dg");
        ModelFile.Write(path, trained);
        var read = ModelFile.Read(path, ModelArchitecture.ExpectedShapes);
        Assert.True(read.Metadata.Architecture.SpeechEmbeddingTrainable);
        Assert.True(read.Metadata.Features.SpeechEmbeddingMelspectrogram);

        float[][] audio = [Clip()];
        using var before = new InferenceEngine(model with { Tensors = model.Tensors.ToDictionary(t => t.Key, t => t.Value) });
        using var written = new InferenceEngine(trained);
        using var reread = new InferenceEngine(read, path);
        var (a, b) = (written.Posteriors(audio), reread.Posteriors(audio));
        Assert.Equal(0f, MaxDifference(a, b));
        Assert.True(MaxDifference(before.Posteriors(audio), b) > 1e-3, "the tuned weights do not reach the output");

        // Only conv3 back as it was: the output changes, so the file's front-end weights are the ones used.
        var restored = read with { Tensors = new Dictionary<string, TensorData>(read.Tensors) { ["speech_embedding.conv3.weight"] = model.Tensors["speech_embedding.conv3.weight"] } };
        using var other = new InferenceEngine(restored);
        Assert.True(MaxDifference(other.Posteriors(audio), b) > 1e-5, "speech_embedding.conv3.weight from the file is not used");
    }

    [Fact]
    public void TheTwoModesNeverShareCachedFeatures()
    {
        var frontEnd = RealFrontEnd();
        var frozenConfig = new FeatureConfig { SpeechEmbedding = true };
        var tunedConfig = frozenConfig with { SpeechEmbeddingMelspectrogram = true };
        using var frozen = new FeatureFrontEnd(frozenConfig, frontEnd);
        using var tuned = new FeatureFrontEnd(tunedConfig, frontEnd);
        Assert.NotEqual(frozen.CacheKey, tuned.CacheKey);
        Assert.Equal(80 + 96, frozen.Bins);
        Assert.Equal(80 + 32, tuned.Bins);

        // Tuned features depend on the melspectrogram's weights only: tuned convolutions keep the cache, another
        // melspectrogram does not.
        var otherConvolutions = new Dictionary<string, TensorData>(frontEnd) { ["speech_embedding.conv5.bias"] = SpeechEmbeddingModelTests.RandomFrontEnd()["speech_embedding.conv5.bias"] };
        var otherMel = new Dictionary<string, TensorData>(frontEnd) { ["speech_embedding.mel_matrix"] = SpeechEmbeddingModelTests.RandomFrontEnd()["speech_embedding.mel_matrix"] };
        using (var f = new FeatureFrontEnd(tunedConfig, otherConvolutions)) Assert.Equal(tuned.CacheKey, f.CacheKey);
        using (var f = new FeatureFrontEnd(tunedConfig, otherMel)) Assert.NotEqual(tuned.CacheKey, f.CacheKey);
        using (var f = new FeatureFrontEnd(frozenConfig, otherConvolutions)) Assert.NotEqual(frozen.CacheKey, f.CacheKey);

        // The filterbank columns are the same in both modes; the melspectrogram row i is the frame centred on frame i.
        var clip = Clip();
        var (a, b) = (frozen.Compute(clip), tuned.Compute(clip));
        Assert.Equal(a.Frames, b.Frames);
        for (var f = 0; f < a.Frames; f += 13) Assert.Equal(a.Row(f)[..80].ToArray(), b.Row(f)[..80].ToArray());
        var delayed = tuned.Compute([.. new float[1600], .. clip]);
        for (var f = 0; f < b.Frames - 40; f += 7)
            for (var d = 80; d < 112; d++) Assert.True(Math.Abs(b[f, d] - delayed[f + 10, d]) < 1e-4, $"frame {f} band {d - 80}");

        // Metadata that disagrees with the architecture is refused.
        var model = NewModel.AddSpeechEmbedding(NewModel.Create("en", "tiny", NewModel.Preset("tiny"), seed: 5), frontEnd);
        var halfTuned = model with { Metadata = model.Metadata with { Features = model.Metadata.Features with { SpeechEmbeddingMelspectrogram = true } } };
        Assert.Throws<ModelFileError>(() => FeatureFrontEnd.For(halfTuned));
        Assert.Throws<DgToolsException>(() => NewModel.TuneSpeechEmbedding(NewModel.Create("en", "tiny", NewModel.Preset("tiny"), seed: 5)));
    }
}
