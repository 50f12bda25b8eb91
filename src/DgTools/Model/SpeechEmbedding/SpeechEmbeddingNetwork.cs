// Google's speech_embedding (Lin et al. 2020, arXiv 2002.01322; Apache-2.0, as redistributed by openWakeWord), ported
// from its two ONNX graphs to TorchSharp and run fully convolutionally over a whole clip:
//
//   melspectrogram.onnx   samples (16 kHz) → STFT as two Conv1d (257 real and 257 imaginary kernels of 512 samples,
//                         hop 160, no padding) → power → × mel matrix (257×32) → 10·log10 (floor 1e-10) → clipped
//                         below at (maximum over the input − 80 dB)
//   glue (openWakeWord)   x / 10 + 2
//   embedding_model.onnx  [frames, 32] → 20 Conv2d (batch norm folded in; time kernels unpadded, frequency kernels
//                         padded) with LeakyReLU(0.2) and max(x, −0.4) after all but the last, 5 max pools; one 96-d
//                         vector per 76 mel frames, and over a longer input one per 8 frames (80 ms)
//
// Over a long input, each 76-frame window at a multiple of 8 frames gives exactly the vector ONNX Runtime computes for
// that window alone (the pools are aligned), at ~1/9 of the work. Long inputs go through in chunks of whole windows, so
// memory stays bounded and results do not depend on the chunking. The weights are tensors named
// speech_embedding.{stft_real,stft_imag,mel_matrix,activation_floor,conv<N>.weight,conv<N>.bias}; they are stored in the
// .dg of a model that uses the stream (SpeechEmbeddingFrontEnd) and read from the ONNX files only when such a model is made.
using DgTools.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace DgTools.Model.SpeechEmbedding;

public sealed class SpeechEmbeddingNetwork : IDisposable
{
    public const string Prefix = "speech_embedding.";
    public const int Dimension = 96;
    public const int MelBands = 32;
    public const int WindowFrames = 76;
    public const int FramesPerVector = 8;
    public const int HopSamples = 160;
    public const int FftSamples = 512;
    public const int SampleRate = 16000;
    public const int ConvLayers = 20;
    private const int VectorsPerChunk = 512;
    private static readonly int[] PoolAfter = [2, 6, 10, 14, 18];
    private static readonly bool[] PoolsTime = [true, false, true, false, true];

    private readonly Dictionary<string, Tensor> _weights;

    /// <param name="tensors">The speech_embedding.* tensors (others are ignored).</param>
    public SpeechEmbeddingNetwork(IReadOnlyDictionary<string, TensorData> tensors)
    {
        _weights = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, shape) in Shapes())
        {
            if (!tensors.TryGetValue(name, out var data)) throw new ModelFileError($"model file lacks tensor {name} of the speech-embedding front end");
            if (!data.Shape.SequenceEqual(shape))
                throw new ModelFileError($"tensor {name} has shape [{string.Join(",", data.Shape)}], the speech-embedding front end needs [{string.Join(",", shape)}]");
            _weights[name] = tensor(data.ToFloats(), shape);
        }
    }

    /// <summary>True for the convolutions' tensors (speech_embedding.conv{N}.*), the part a model that tunes the front
    /// end trains; the STFT, mel matrix and activation floor stay fixed.</summary>
    public static bool IsConvolution(string name) => name.StartsWith(Prefix + "conv", StringComparison.Ordinal);

    /// <summary>
    /// Where feature frame <paramref name="frame"/> takes the stream: vector position (frame − 3.5) / 8, clamped to
    /// [0, <paramref name="lastVector"/>], as the two vectors around it and the weight of the upper one. The frozen
    /// stream (FeatureFrontEnd) and a tuned one (TrainableSpeechEmbedding) both interpolate with it.
    /// </summary>
    public static (long Lower, long Upper, float Weight) Interpolation(long frame, long lastVector)
    {
        var position = Math.Clamp((frame - 3.5) / FramesPerVector, 0, lastVector);
        var lower = (long)position;
        return (lower, Math.Min(lower + 1, lastVector), (float)(position - lower));
    }

    /// <summary>The tensors of the front end and their shapes.</summary>
    public static IReadOnlyDictionary<string, long[]> Shapes()
    {
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal)
        {
            [Prefix + "stft_real"] = [257, 1, FftSamples],
            [Prefix + "stft_imag"] = [257, 1, FftSamples],
            [Prefix + "mel_matrix"] = [257, MelBands],
            [Prefix + "activation_floor"] = [1],
        };
        long[][] kernels =
        [
            [24, 1, 3, 3], [24, 24, 1, 3], [24, 24, 3, 1],
            [48, 24, 1, 3], [48, 48, 3, 1], [48, 48, 1, 3], [48, 48, 3, 1],
            [72, 48, 1, 3], [72, 72, 3, 1], [72, 72, 1, 3], [72, 72, 3, 1],
            [96, 72, 1, 3], [96, 96, 3, 1], [96, 96, 1, 3], [96, 96, 3, 1],
            [96, 96, 1, 3], [96, 96, 3, 1], [96, 96, 1, 3], [96, 96, 3, 1],
            [96, 96, 3, 1],
        ];
        for (var i = 0; i < ConvLayers; i++)
        {
            shapes[$"{Prefix}conv{i}.weight"] = kernels[i];
            if (i < ConvLayers - 1) shapes[$"{Prefix}conv{i}.bias"] = [kernels[i][0]];
        }
        return shapes;
    }

    /// <summary>
    /// Reads the weights from the two ONNX files (melspectrogram.onnx, embedding_model.onnx in <paramref name="directory"/>),
    /// checking that each graph is the one this port computes (operators in order, kernel shapes, constants).
    /// </summary>
    public static Dictionary<string, TensorData> ImportOnnx(string directory)
    {
        var melPath = Path.Combine(directory, "melspectrogram.onnx");
        var embeddingPath = Path.Combine(directory, "embedding_model.onnx");
        foreach (var p in new[] { melPath, embeddingPath })
            if (!File.Exists(p)) throw new ModelFileError("speech-embedding ONNX file not found (run scripts/fetch-speech-embedding.sh)", p);
        var result = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        var mel = OnnxGraph.Read(melPath);
        try
        {
            var convs = mel.Nodes.Where(n => n.OpType == "Conv").ToList();
            if (convs.Count != 2 || convs.Any(c => c.Ints.GetValueOrDefault("strides")?.SequenceEqual([(long)HopSamples]) != true))
                throw new FormatException("expected two Conv1d of hop 160 (the STFT)");
            result[Prefix + "stft_real"] = Float(mel.Initializer(convs[0].Inputs[1]));
            result[Prefix + "stft_imag"] = Float(mel.Initializer(convs[1].Inputs[1]));
            var matmul = mel.Nodes.Single(n => n.OpType == "MatMul");
            result[Prefix + "mel_matrix"] = Float(mel.Initializer(matmul.Inputs[1]));
            var ops = string.Join(",", mel.Nodes.Select(n => n.OpType).Where(o => o is not ("Constant" or "Unsqueeze" or "Transpose")));
            if (ops != "Conv,Conv,Pow,Pow,Add,MatMul,Clip,Log,Mul,Div,Sub,ReduceMax,Sub,Cast,Clip")
                throw new FormatException($"unexpected operators {ops}");
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw new ModelFileError($"not the speech_embedding melspectrogram graph this port computes ({e.Message})", melPath);
        }

        var embedding = OnnxGraph.Read(embeddingPath);
        try
        {
            var convs = embedding.Nodes.Where(n => n.OpType == "Conv").ToList();
            if (convs.Count != ConvLayers) throw new FormatException($"{convs.Count} Conv nodes, expected {ConvLayers}");
            for (var i = 0; i < ConvLayers; i++)
            {
                result[$"{Prefix}conv{i}.weight"] = Float(embedding.Initializer(convs[i].Inputs[1]));
                if (convs[i].Inputs.Count > 2) result[$"{Prefix}conv{i}.bias"] = Float(embedding.Initializer(convs[i].Inputs[2]));
                if (convs[i].Ints.GetValueOrDefault("strides") is { } s && s.Any(v => v != 1)) throw new FormatException("strided convolution");
            }
            var pools = embedding.Nodes.Where(n => n.OpType == "MaxPool").Select(n => n.Ints["kernel_shape"][0]).ToList();
            if (!pools.SequenceEqual(PoolsTime.Select(t => t ? 2L : 1L))) throw new FormatException("unexpected max-pool kernels");
            var leaky = embedding.Nodes.Where(n => n.OpType == "LeakyRelu").Select(n => n.Floats["alpha"]).Distinct().ToList();
            if (leaky.Count != 1 || Math.Abs(leaky[0] - 0.2f) > 1e-6) throw new FormatException("LeakyRelu slope is not 0.2");
            var floor = embedding.Nodes.Where(n => n.OpType == "Max").Select(n => n.Inputs[1]).Distinct().Single();
            result[Prefix + "activation_floor"] = TensorData.FromFloats([1], embedding.Initializer(floor).Floats!);
            var order = string.Join(",", embedding.Nodes.Select(n => n.OpType).Where(o => o is "Conv" or "MaxPool"));
            var expected = string.Join(",", Enumerable.Range(0, ConvLayers).Select(i => Array.IndexOf(PoolAfter, i) >= 0 ? "Conv,MaxPool" : "Conv"));
            if (order != expected) throw new FormatException("unexpected layer order");
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or KeyNotFoundException)
        {
            throw new ModelFileError($"not the speech_embedding network this port computes ({e.Message})", embeddingPath);
        }
        foreach (var (name, shape) in Shapes())
        {
            if (!result.TryGetValue(name, out var t) || !t.Shape.SequenceEqual(shape))
                throw new ModelFileError($"speech-embedding tensor {name} is missing or of the wrong shape", embeddingPath);
        }
        return result;
    }

    private static TensorData Float(OnnxTensor t) => TensorData.FromFloats(t.Shape, t.Floats!);

    // The constants as Scalars that stay reachable: an implicit temporary Scalar may be finalized while libtorch reads it
    // (KeptScalars). Feature extraction runs on many threads for hours, where that showed as "Unknown scalar type".
    private static readonly Scalar Ten = 10.0.ToScalar(), Ln10 = 2.3025851.ToScalar(),
        PowerFloor = 1e-10.ToScalar();

    /// <summary>melspectrogram.onnx on one clip: (frames, 32) float32 dB values, frames = (samples − 512) / 160 + 1.</summary>
    public Tensor Melspectrogram(ReadOnlySpan<float> samples)
    {
        using var scope = NewDisposeScope();
        var frames = samples.Length < FftSamples ? 0 : (samples.Length - FftSamples) / HopSamples + 1;
        var output = zeros(frames, MelBands);
        // Chunks of whole frames: the STFT of an hour would not fit in memory at once.
        const int chunkFrames = 4096;
        using (no_grad())
        {
            for (var start = 0; start < frames; start += chunkFrames)
            {
                var count = Math.Min(chunkFrames, frames - start);
                var piece = samples.Slice(start * HopSamples, (count - 1) * HopSamples + FftSamples).ToArray();
                var x = tensor(piece).reshape(1, 1, piece.Length);
                var real = nn.functional.conv1d(x, _weights[Prefix + "stft_real"], stride: HopSamples);
                var imag = nn.functional.conv1d(x, _weights[Prefix + "stft_imag"], stride: HopSamples);
                var power = real.pow(KeptScalars.Two).add(imag.pow(KeptScalars.Two)).squeeze(0).transpose(0, 1); // (count, 257)
                var mel = power.matmul(_weights[Prefix + "mel_matrix"]).clamp_min(PowerFloor);
                var db = mel.log().mul(Ten).div(Ln10);
                output[TensorIndex.Slice(start, start + count)] = db;
            }
            if (frames > 0)
            {
                using var floorDb = (output.max().item<float>() - 80.0).ToScalar();
                output = output.clamp_min(floorDb);
            }
        }
        return output.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// embedding_model.onnx over a whole (frames, 32) melspectrogram (after openWakeWord's x / 10 + 2, applied here):
    /// (vectors, 96) with vectors = (frames − 76) / 8 + 1 (0 when frames &lt; 76); vector k is the embedding of mel
    /// frames [8k, 8k + 76).
    /// </summary>
    public Tensor Embed(Tensor melspectrogram)
    {
        using var scope = NewDisposeScope();
        var frames = melspectrogram.shape[0];
        var vectors = frames < WindowFrames ? 0 : (frames - WindowFrames) / FramesPerVector + 1;
        var output = zeros(vectors, Dimension);
        using (no_grad())
        {
            var input = Scale(melspectrogram);
            for (long start = 0; start < vectors; start += VectorsPerChunk)
            {
                var count = Math.Min(VectorsPerChunk, vectors - start);
                var from = start * FramesPerVector;
                var piece = input[TensorIndex.Slice(from, from + (count - 1) * FramesPerVector + WindowFrames)];
                output[TensorIndex.Slice(start, start + count)] = Network(piece.reshape(1, 1, piece.shape[0], MelBands));
            }
        }
        return output.MoveToOuterDisposeScope();
    }

    /// <summary>(1, 1, frames, 32) → (vectors, 96).</summary>
    private Tensor Network(Tensor x) => Convolutions(x, name => _weights.GetValueOrDefault(name))[0];

    /// <summary>
    /// The 20 convolutions on a batch of scaled melspectrograms: (B, 1, frames, 32) → (B, vectors, 96). Shared by the
    /// frozen stream (weights from the .dg, no gradient) and a model that tunes the front end (TrainableSpeechEmbedding,
    /// weights its parameters).
    /// </summary>
    /// <param name="weight">The tensor of a speech_embedding.* name (null for a bias the last layer lacks).</param>
    public static Tensor Convolutions(Tensor x, Func<string, Tensor?> weight)
    {
        var floor = weight(Prefix + "activation_floor")!;
        var pool = 0;
        for (var i = 0; i < ConvLayers; i++)
        {
            var kernel = weight($"{Prefix}conv{i}.weight")!;
            x = nn.functional.conv2d(x, kernel, weight($"{Prefix}conv{i}.bias"), padding: [0, kernel.shape[3] / 2]);
            if (i == ConvLayers - 1) break;
            x = maximum(nn.functional.leaky_relu(x, 0.2), floor);
            if (pool < PoolAfter.Length && PoolAfter[pool] == i)
            {
                x = PoolsTime[pool] ? nn.functional.max_pool2d(x, [2, 2], [2, 2]) : nn.functional.max_pool2d(x, [1, 2], [1, 2]);
                pool++;
            }
        }
        return x.squeeze(3).transpose(1, 2); // (B, 96, vectors, 1) → (B, vectors, 96)
    }

    /// <summary>openWakeWord's scaling of the melspectrogram before the network: x / 10 + 2.</summary>
    public static Tensor Scale(Tensor melspectrogram) => melspectrogram.div(Ten).add(KeptScalars.Two);

    public void Dispose()
    {
        foreach (var t in _weights.Values) t.Dispose();
    }
}
