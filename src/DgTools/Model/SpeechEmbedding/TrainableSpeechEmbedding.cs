// The speech_embedding network inside a model that tunes it (ModelConfig.SpeechEmbeddingTrainable): its 20
// convolutions as parameters named speech_embedding.conv{N}.{weight,bias}, run on the melspectrogram columns of a batch
// (FeatureFrontEnd puts frame i + 34 of the padded clip in row i) and mapped to the feature frames exactly as
// FeatureFrontEnd maps the frozen stream, so both modes hand the Conformer the same (B, T, 96) stream.
//
// Each utterance's melspectrogram is framed as the frozen path frames it: 34 frames in front and the frames after its
// last row (up to 8 · ceil(T / 8) + 68 in all) are what the zero padding becomes there, the clip's floor: the
// melspectrogram is clipped at its maximum − 80 dB (and −100 dB at least), i.e. max(row maximum − 8, −8) scaled. The
// frozen path computes those frames from the padded audio instead; they differ in the 5 frames that overlap the clip's
// first and last samples (and in the floor, when the loudest frame is one of those).
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DgTools.Model.SpeechEmbedding;

public sealed class TrainableSpeechEmbedding : nn.Module<Tensor, Tensor, Tensor>
{
    // −80 dB and −100 dB in the scaled units, and the masked rows' value (x / 10 + 2); kept reachable (Model/KeptScalars.cs).
    private static readonly Scalar Eight = 8.0.ToScalar(), MinusEight = (-8.0).ToScalar(), Lowest = float.NegativeInfinity.ToScalar();

    private readonly Tensor _activationFloor;
    private readonly Dictionary<string, Conv2d> _layers = new(StringComparer.Ordinal);

    /// <param name="activationFloor">speech_embedding.activation_floor: a constant of the network, not trained.</param>
    public TrainableSpeechEmbedding(Tensor activationFloor) : base("speech_embedding")
    {
        _activationFloor = activationFloor;
        var shapes = SpeechEmbeddingNetwork.Shapes();
        foreach (var (name, shape) in shapes)
        {
            if (!SpeechEmbeddingNetwork.IsConvolution(name) || !name.EndsWith(".weight", StringComparison.Ordinal)) continue;
            var layer = name[SpeechEmbeddingNetwork.Prefix.Length..^".weight".Length];
            var hasBias = shapes.ContainsKey($"{SpeechEmbeddingNetwork.Prefix}{layer}.bias");
            _layers[layer] = nn.Conv2d(shape[1], shape[0], (shape[2], shape[3]), bias: hasBias);
            register_module(layer, _layers[layer]);
        }
    }

    /// <param name="melspectrogram">(B, T, 32) scaled melspectrogram rows, zero-padded past each length.</param>
    /// <param name="lengths">(B) int64 valid rows per utterance.</param>
    /// <returns>(B, T, 96): the stream interpolated to each feature frame, zero past each length.</returns>
    public override Tensor forward(Tensor melspectrogram, Tensor lengths)
    {
        var (batch, frames) = (melspectrogram.shape[0], melspectrogram.shape[1]);
        var rows = lengths.cpu().data<long>().ToArray();
        const int per = SpeechEmbeddingNetwork.FramesPerVector, lead = FeatureFrontEnd.LeadingMelFrames;
        var vectors = (frames + per - 1) / per;
        var total = SpeechEmbeddingNetwork.WindowFrames + per * (vectors - 1);

        var valid = new bool[batch * total];
        for (var b = 0; b < batch; b++) Array.Fill(valid, true, (int)(b * total + lead), (int)rows[b]);
        var inside = tensor(valid, [batch, total, 1], device: melspectrogram.device);
        var framed = nn.functional.pad(melspectrogram, [0, 0, lead, total - lead - frames]);
        var loudest = framed.masked_fill(inside.logical_not(), Lowest).amax([1, 2], keepdim: true).detach();
        var floor = loudest.sub(Eight).clamp_min(MinusEight);
        framed = where(inside, framed, floor);

        var embedded = SpeechEmbeddingNetwork.Convolutions(framed.unsqueeze(1), Weight); // (B, vectors, 96)
        return matmul(Interpolation(rows, frames, vectors, melspectrogram.device), embedded);
    }

    private Tensor? Weight(string name)
    {
        if (name == SpeechEmbeddingNetwork.Prefix + "activation_floor") return _activationFloor;
        var parts = name[SpeechEmbeddingNetwork.Prefix.Length..].Split('.');
        return parts[1] == "weight" ? _layers[parts[0]].weight : _layers[parts[0]].bias;
    }

    /// <summary>(B, T, vectors): frame i of utterance b takes its vectors as the frozen stream does
    /// (SpeechEmbeddingNetwork.Interpolation), clamped to its own last vector; rows past its length are zero, as the
    /// batch's padding is.</summary>
    private static Tensor Interpolation(long[] rows, long frames, long vectors, Device device)
    {
        var weights = new float[rows.Length * frames * vectors];
        for (var b = 0; b < rows.Length; b++)
        {
            if (rows[b] == 0) continue;
            var last = (rows[b] + SpeechEmbeddingNetwork.FramesPerVector - 1) / SpeechEmbeddingNetwork.FramesPerVector - 1;
            for (var i = 0; i < rows[b]; i++)
            {
                var (lower, upper, w) = SpeechEmbeddingNetwork.Interpolation(i, last);
                var row = (b * frames + i) * vectors;
                weights[row + lower] += 1 - w;
                weights[row + upper] += w;
            }
        }
        return tensor(weights, [rows.Length, frames, vectors], device: device);
    }
}
