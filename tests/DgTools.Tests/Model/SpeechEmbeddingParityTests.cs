// Parity of the TorchSharp port of Google's speech_embedding (Model/SpeechEmbedding) with ONNX Runtime running the
// original graphs (Microsoft.ML.OnnxRuntime, a test-only reference). ONNX Runtime enforces the embedding graph's
// declared input [N, 76, 32, 1], so it is given the sliding 76-frame windows at a stride of 8 frames, as openWakeWord
// does; the port runs once over the whole clip. Skipped, saying why, when the ONNX files are not installed
// (scripts/fetch-speech-embedding.sh).
using DgTools.Audio;
using DgTools.Model;
using DgTools.Model.SpeechEmbedding;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;
using static TorchSharp.torch;

namespace DgTools.Tests.Model;

public static class SpeechEmbeddingFiles
{
    public static string Directory =>
        Environment.GetEnvironmentVariable("DGTOOLS_SPEECH_EMBEDDING_DIR") is { Length: > 0 } d ? d
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "dgtools", "speech-embedding");

    public static bool Present =>
        File.Exists(Path.Combine(Directory, "melspectrogram.onnx")) && File.Exists(Path.Combine(Directory, "embedding_model.onnx"));
}

/// <summary>A fact skipped, saying why, when the speech_embedding ONNX files are not installed.</summary>
public sealed class SpeechEmbeddingFactAttribute : FactAttribute
{
    public SpeechEmbeddingFactAttribute()
    {
        if (!SpeechEmbeddingFiles.Present)
            Skip = $"speech_embedding ONNX files not found in {SpeechEmbeddingFiles.Directory} (run scripts/fetch-speech-embedding.sh)";
    }
}

public class SpeechEmbeddingParityTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>The speech-like fixture four times over at different levels (about 4 s).</summary>
    private static float[] Speechlike()
    {
        var clip = AudioDecoder.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Audio", "speechlike_16k.wav"), 16000);
        return new[] { 1f, 0.3f, 0.8f, 0.05f }.SelectMany(gain => clip.Select(x => x * gain)).ToArray();
    }

    private static float[] OrtMelspectrogram(float[] samples)
    {
        using var session = new InferenceSession(Path.Combine(SpeechEmbeddingFiles.Directory, "melspectrogram.onnx"));
        var input = new DenseTensor<float>(samples, [1, samples.Length]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), input)]);
        return results.Single().AsEnumerable<float>().ToArray(); // [1, 1, frames, 32]
    }

    /// <summary>ONNX Runtime's embedding of each 76-frame window at a stride of 8 frames of <paramref name="mel"/>
    /// (frames × 32, already through x / 10 + 2).</summary>
    private static float[] OrtWindowedEmbeddings(float[] mel, int frames)
    {
        using var session = new InferenceSession(Path.Combine(SpeechEmbeddingFiles.Directory, "embedding_model.onnx"));
        var windows = (frames - SpeechEmbeddingNetwork.WindowFrames) / SpeechEmbeddingNetwork.FramesPerVector + 1;
        var batch = new float[windows * SpeechEmbeddingNetwork.WindowFrames * 32];
        for (var w = 0; w < windows; w++)
            Array.Copy(mel, w * 8 * 32, batch, w * SpeechEmbeddingNetwork.WindowFrames * 32, SpeechEmbeddingNetwork.WindowFrames * 32);
        var input = new DenseTensor<float>(batch, [windows, SpeechEmbeddingNetwork.WindowFrames, 32, 1]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), input)]);
        return results.Single().AsEnumerable<float>().ToArray(); // [windows, 1, 1, 96]
    }

    private static float MaxDifference(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
    }

    [SpeechEmbeddingFact]
    public void MelspectrogramMatchesOnnxRuntime()
    {
        var samples = Speechlike();
        using var network = new SpeechEmbeddingNetwork(SpeechEmbeddingNetwork.ImportOnnx(SpeechEmbeddingFiles.Directory));
        using var port = network.Melspectrogram(samples);
        var expected = OrtMelspectrogram(samples);
        Assert.Equal((samples.Length - 512) / 160 + 1, port.shape[0]);
        var diff = MaxDifference(port.contiguous().data<float>().ToArray(), expected);
        output.WriteLine($"melspectrogram: {port.shape[0]} frames, max |Δ| = {diff:E2} dB");
        Assert.True(diff <= 1e-4, $"max |Δ| = {diff} dB");
    }

    [SpeechEmbeddingFact]
    public void WholeClipEmbeddingMatchesOnnxRuntimeWindows()
    {
        var samples = Speechlike();
        using var network = new SpeechEmbeddingNetwork(SpeechEmbeddingNetwork.ImportOnnx(SpeechEmbeddingFiles.Directory));
        var mel = OrtMelspectrogram(samples);
        var frames = mel.Length / 32;
        using var melTensor = tensor(mel, [frames, 32]);
        // The port runs once over the whole clip (and applies openWakeWord's x / 10 + 2 itself).
        using var port = network.Embed(melTensor);
        var expected = OrtWindowedEmbeddings(mel.Select(x => x / 10f + 2f).ToArray(), frames);
        Assert.True(port.shape[0] >= 20, $"only {port.shape[0]} vectors");
        var diff = MaxDifference(port.contiguous().data<float>().ToArray(), expected);
        output.WriteLine($"embedding: {port.shape[0]} vectors, max |Δ| = {diff:E2} (values up to {expected.Max(Math.Abs):F1})");
        Assert.True(diff <= 1e-4, $"max |Δ| = {diff}");
        // Not trivially equal: the vectors vary across the clip.
        Assert.True(MaxDifference(expected[..96], expected[^96..]) > 0.1);
    }

    [SpeechEmbeddingFact]
    public void LongInputsGoThroughInChunksWithTheSameResult()
    {
        // 70 s of audio: more than one chunk of the STFT (4,096 frames) and of the network (512 vectors).
        var clip = Speechlike();
        var samples = Enumerable.Range(0, 70 * 16000).Select(i => clip[i % clip.Length] * (1 + 0.1f * MathF.Sin(i / 7000f))).ToArray();
        using var network = new SpeechEmbeddingNetwork(SpeechEmbeddingNetwork.ImportOnnx(SpeechEmbeddingFiles.Directory));
        using var mel = network.Melspectrogram(samples);
        using var whole = network.Embed(mel);
        var vectors = whole.shape[0];
        Assert.True(vectors > 512);
        // The vectors around the chunk boundary (512) equal those of a pass over just that stretch of frames.
        const int first = 500;
        using var stretch = mel[TensorIndex.Slice(first * 8, (first + 25) * 8 + 68)];
        using var part = network.Embed(stretch);
        var diff = whole[TensorIndex.Slice(first, first + 25)].sub(part).abs().max().item<float>();
        Assert.True(diff <= 1e-4, $"max |Δ| = {diff}");
    }

    [SpeechEmbeddingFact]
    public void OnnxImportRejectsAnotherGraph()
    {
        using var dir = new TestSupport.TempDirectory();
        File.Copy(Path.Combine(SpeechEmbeddingFiles.Directory, "embedding_model.onnx"), Path.Combine(dir.Path, "melspectrogram.onnx"));
        File.Copy(Path.Combine(SpeechEmbeddingFiles.Directory, "embedding_model.onnx"), Path.Combine(dir.Path, "embedding_model.onnx"));
        var e = Assert.Throws<ModelFileError>(() => SpeechEmbeddingNetwork.ImportOnnx(dir.Path));
        Assert.Contains("melspectrogram", e.Message);
    }
}
