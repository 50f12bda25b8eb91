// The Conformer-CTC acoustic model: features (B, T, 80) + lengths → per-frame log-probabilities over the output units.
//
// Tensor names (they are the .dg tensor names; the PyTorch reference in bench/model/reference_conformer.py uses the same):
//   subsampling.conv0.{weight,bias}                          Conv2d(1, C, 3, stride 2, padding 1)
//   subsampling.stages.{i}.depthwise.{weight,bias}           Conv2d(C, C, 3, stride 2, padding 1, groups C)
//   subsampling.stages.{i}.pointwise.{weight,bias}           Conv2d(C, C, 1)       (one stage per further 2×)
//   subsampling.proj.{weight,bias}                           Linear(C · F/subsampling, D)
//   layers.{n}.ff1.{norm,linear1,linear2}.{weight,bias}      macaron feed-forward (LayerNorm, Linear D→FF, Linear FF→D)
//   layers.{n}.attn.{norm,in_proj,out_proj}.{weight,bias}    in_proj: Linear(D, 3D) as [q; k; v], rotary positions
//   layers.{n}.conv.{norm,pointwise1,depthwise,depthwise_norm,pointwise2}.{weight,bias}
//   layers.{n}.ff2.{norm,linear1,linear2}.{weight,bias}
//   layers.{n}.norm_out.{weight,bias}
//   ctc_head.{weight,bias}                                   Linear(D, HeadUpsampling · NumUnits), blank = unit 0
// With the speech-embedding stream (SpeechEmbeddingDim 96; the last 96 feature columns):
//   speech_embedding_norm.{weight,bias}                      LayerNorm(96)            (fusion "norm-add" only)
//   speech_embedding_proj.{weight,bias}                      Linear(96, D), zero-initialised, added after the subsampling
//   speech_embedding.*                                       the stream's own network (SpeechEmbeddingNetwork): frozen,
//                                                            not parameters; kept here so a .dg carries them — except,
//                                                            when SpeechEmbeddingTrainable, speech_embedding.conv{N}.*:
//                                                            parameters of TrainableSpeechEmbedding, which the model runs
//                                                            on the 32 melspectrogram columns that then follow the mel bins
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DgTools.Model;

public sealed class ConformerCtc : nn.Module<Tensor, Tensor, (Tensor LogProbs, Tensor Lengths)>
{
    private readonly ConvSubsampling subsampling;
    private readonly SeededDropout input_dropout;
    private readonly ModuleList<ConformerBlock> layers;
    private readonly Linear ctc_head;
    private readonly LayerNorm? speech_embedding_norm;
    private readonly Linear? speech_embedding_proj;
    private readonly SpeechEmbedding.TrainableSpeechEmbedding? speech_embedding;
    private readonly Dictionary<string, Tensor> _frontEnd = new(StringComparer.Ordinal);

    /// <summary>Builds the model with weights drawn from <paramref name="seed"/> (no global random state is used).</summary>
    public ConformerCtc(ModelConfig config, long seed = 0) : base(nameof(ConformerCtc))
    {
        config.Validate();
        Config = config;
        subsampling = new ConvSubsampling(config);
        input_dropout = new SeededDropout(config.Dropout, Randomness);
        layers = new ModuleList<ConformerBlock>();
        for (var i = 0; i < config.NumLayers; i++) layers.Add(new ConformerBlock(config, Randomness));
        ctc_head = nn.Linear(config.DModel, config.HeadUpsampling * config.NumUnits);
        if (config.SpeechEmbeddingDim > 0)
        {
            if (config.SpeechEmbeddingFusion == "norm-add") speech_embedding_norm = nn.LayerNorm(config.SpeechEmbeddingDim);
            speech_embedding_proj = nn.Linear(config.SpeechEmbeddingDim, config.DModel);
            foreach (var (name, shape) in SpeechEmbedding.SpeechEmbeddingNetwork.Shapes())
                if (!config.SpeechEmbeddingTrainable || !SpeechEmbedding.SpeechEmbeddingNetwork.IsConvolution(name)) _frontEnd[name] = zeros(shape);
            if (config.SpeechEmbeddingTrainable)
                speech_embedding = new SpeechEmbedding.TrainableSpeechEmbedding(_frontEnd[SpeechEmbedding.SpeechEmbeddingNetwork.Prefix + "activation_floor"]);
        }
        RegisterComponents();
        Initialize(seed);
    }

    public ModelConfig Config { get; }

    /// <summary>Where dropout draws its random numbers; the trainer sets a per-step generator here.</summary>
    public DropoutRandomness Randomness { get; } = new();

    /// <summary>Number of CTC output frames for an utterance of <paramref name="inputFrames"/> feature frames.</summary>
    public static long OutputLength(long inputFrames, ModelConfig config)
    {
        var length = inputFrames;
        for (var factor = 2; factor <= config.Subsampling; factor *= 2) length = ConvSubsampling.Halve(length);
        return length * config.HeadUpsampling;
    }

    /// <param name="features">(B, T, InputDim) float32.</param>
    /// <param name="lengths">(B) int64 valid frames per utterance.</param>
    /// <returns>Log-probabilities (B, T', NumUnits) and output lengths (B) int64.</returns>
    public override (Tensor LogProbs, Tensor Lengths) forward(Tensor features, Tensor lengths)
    {
        var (hidden, _, encoderLengths) = Encode(features, lengths, tapAfterLayer: -1);
        return (Head(hidden), OutputLengths(encoderLengths));
    }

    /// <summary>
    /// The forward pass plus the head applied after layer <paramref name="tapAfterLayer"/> (1-based count of layers
    /// run), for an intermediate CTC loss. Both log-probability tensors share the returned lengths.
    /// </summary>
    public (Tensor LogProbs, Tensor IntermediateLogProbs, Tensor Lengths) ForwardWithIntermediate(Tensor features, Tensor lengths, int tapAfterLayer)
    {
        var (hidden, tap, encoderLengths) = Encode(features, lengths, tapAfterLayer);
        return (Head(hidden), Head(tap!), OutputLengths(encoderLengths));
    }

    private Tensor OutputLengths(long[] encoderLengths) => tensor(encoderLengths.Select(l => l * Config.HeadUpsampling).ToArray());

    private (Tensor Hidden, Tensor? Tap, long[] Lengths) Encode(Tensor features, Tensor lengths, int tapAfterLayer)
    {
        if (features.shape[2] != Config.FeatureColumns)
            throw new ArgumentException($"features have {features.shape[2]} columns per frame, the model takes {Config.FeatureColumns}");
        var x = subsampling.call(Config.SpeechEmbeddingDim == 0 ? features : features.narrow(2, 0, Config.InputDim), lengths);
        if (speech_embedding_proj is not null)
        {
            // The stream, averaged over each encoder frame's input frames (ceil: the subsampling's output length).
            var stream = speech_embedding is null
                ? features.narrow(2, Config.InputDim, Config.SpeechEmbeddingDim).transpose(1, 2)
                : speech_embedding.call(features.narrow(2, Config.InputDim, Config.FeatureColumns - Config.InputDim), lengths).transpose(1, 2);
            stream = nn.functional.avg_pool1d(stream, Config.Subsampling, Config.Subsampling, ceil_mode: true).transpose(1, 2);
            if (speech_embedding_norm is not null) stream = speech_embedding_norm.call(stream);
            x = x.add(speech_embedding_proj.call(stream.narrow(1, 0, x.shape[1])));
        }
        var encoderLengths = lengths.cpu().data<long>().ToArray();
        for (var factor = 2; factor <= Config.Subsampling; factor *= 2) encoderLengths = ConvSubsampling.Halve(encoderLengths);
        var validFrames = new bool[encoderLengths.Length * x.shape[1]];
        for (var b = 0; b < encoderLengths.Length; b++) Array.Fill(validFrames, true, (int)(b * x.shape[1]), (int)Math.Min(encoderLengths[b], x.shape[1]));
        var valid = tensor(validFrames, [encoderLengths.Length, x.shape[1]], device: x.device);
        x = input_dropout.call(x);
        Tensor? tap = null;
        for (var i = 0; i < layers.Count; i++)
        {
            x = layers[i].call(x, valid);
            if (i + 1 == tapAfterLayer) tap = x;
        }
        return (x, tap, encoderLengths);
    }

    /// <summary>CTC head on encoder output (B, T'', D) → log-probabilities (B, T''·HeadUpsampling, NumUnits).</summary>
    public Tensor Head(Tensor hidden)
    {
        var logits = ctc_head.call(hidden);
        logits = logits.reshape(hidden.shape[0], hidden.shape[1] * Config.HeadUpsampling, Config.NumUnits);
        return nn.functional.log_softmax(logits, -1);
    }

    /// <summary>All weights by their stable names (see the header). The tensors are the live parameters.</summary>
    public IReadOnlyDictionary<string, Tensor> NamedTensors()
    {
        var all = named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        foreach (var (name, t) in _frontEnd) all[name] = t;
        return all;
    }

    /// <summary>Copies weights in by name; every name must be present with the right shape, and no extra ones.</summary>
    public void LoadNamedTensors(IReadOnlyDictionary<string, Tensor> tensors, string? path = null)
    {
        var own = NamedTensors();
        var unknown = tensors.Keys.Where(k => !own.ContainsKey(k)).ToList();
        if (unknown.Count > 0) throw new ModelFileError($"model file has tensors this architecture does not: {string.Join(", ", unknown.Take(5))}", path);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in own)
        {
            if (!tensors.TryGetValue(name, out var source)) throw new ModelFileError($"model file lacks tensor {name}", path);
            if (!source.shape.SequenceEqual(parameter.shape))
                throw new ModelFileError($"tensor {name} has shape [{string.Join(",", source.shape)}], the config needs [{string.Join(",", parameter.shape)}]", path);
            parameter.copy_(source);
        }
    }

    /// <summary>Weights in file form (float32), named as in the header; what a .dg file stores.</summary>
    public Dictionary<string, TensorData> ExportTensors() => TorchTensorData.ToTensorData(NamedTensors());

    /// <summary>Loads weights from file form; <paramref name="path"/> names the file in errors.</summary>
    public void ImportTensors(IReadOnlyDictionary<string, TensorData> tensors, string? path = null)
    {
        using var scope = torch.NewDisposeScope();
        LoadNamedTensors(TorchTensorData.ToTensors(tensors), path);
    }

    /// <summary>Builds the model a .dg file describes and loads its weights.</summary>
    public static ConformerCtc FromFile(DgModel file, string? path = null)
    {
        var model = new ConformerCtc(file.Metadata.Architecture);
        model.ImportTensors(file.Tensors, path);
        return model;
    }

    /// <summary>
    /// Weights as PyTorch's defaults draw them (uniform ±1/√fan_in for weights and biases), LayerNorm at 1 and 0,
    /// all from one seeded generator in a fixed order.
    /// </summary>
    private void Initialize(long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        var fanIn = 1L;
        foreach (var (name, parameter) in named_parameters())
        {
            var isNorm = name.Contains("norm");
            if (isNorm) { if (name.EndsWith("weight")) parameter.fill_(1); else parameter.zero_(); continue; }
            if (parameter.dim() > 1) fanIn = parameter.shape.Skip(1).Aggregate(1L, (a, b) => a * b);
            var bound = 1.0 / Math.Sqrt(fanIn);
            parameter.uniform_(-bound, bound, generator);
        }
        // Zero: a model given the stream starts out computing exactly what it computed without it.
        speech_embedding_proj?.weight!.zero_();
        speech_embedding_proj?.bias!.zero_();
    }
}
