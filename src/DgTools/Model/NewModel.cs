// A fresh, untrained model for a language: the starting point of a general model trained from scratch
// (`dgtools init`, then `dgtools autotrain`) — either all new, or with the encoder of a trained model in another
// language and a new output layer for this language's units (cheaper than from scratch: the acoustic layers carry over).
using DgTools.Text;

namespace DgTools.Model;

public static class NewModel
{
    /// <summary>Named sizes. "small" is the default CPU-trainable size; "tiny" is for tests and quick trials.</summary>
    public static ModelConfig Preset(string size) => size switch
    {
        "tiny" => new ModelConfig { DModel = 64, NumLayers = 2, NumHeads = 2, FeedForwardDim = 256, ConvKernel = 15, SubsamplingChannels = 32 },
        "small" => new ModelConfig(),
        _ => throw new DgToolsException($"unknown model size '{size}'; use tiny or small"),
    };

    public static DgModel Create(string language, string name, ModelConfig architecture, long seed)
    {
        var alphabet = Alphabet.For(language);
        var config = architecture with { NumUnits = alphabet.Count };
        using var module = new ConformerCtc(config, seed);
        var metadata = new ModelMetadata
        {
            Name = name,
            Languages = [language],
            Trainable = true,
            Deployable = false,
            Architecture = config,
            Units = alphabet.Units.ToList(),
            Provenance = new Provenance { Tool = $"dgtools {ProductInfo.Version} init" },
        };
        return new DgModel(metadata, module.ExportTensors(), new Dictionary<string, string>());
    }

    /// <summary>
    /// A model for <paramref name="language"/> whose encoder (front end and Conformer layers) is copied from
    /// <paramref name="source"/> and whose CTC head is new (seeded) for the language's units — or kept as well when the
    /// source has exactly those units (a warm restart of the from-scratch recipe, e.g. on a grown corpus). Architecture
    /// and feature settings come from the source; the result counts as untrained (no samples trained, no vocabulary), so
    /// autotrain uses the from-scratch recipe, and its provenance names the source as parent.
    /// </summary>
    public static DgModel CreateFromEncoder(string language, string name, DgModel source, long seed)
    {
        var fresh = Create(language, name, source.Metadata.Architecture, seed);
        var keepHead = KeepsOutputLayer(language, source);
        var tensors = fresh.Tensors.ToDictionary(
            t => t.Key,
            t => IsHead(t.Key) && !keepHead ? t.Value : source.Tensors.TryGetValue(t.Key, out var kept) ? kept
                : throw new ModelFileError($"the source model has no tensor '{t.Key}'"));
        var metadata = fresh.Metadata with
        {
            Features = source.Metadata.Features,
            Provenance = fresh.Metadata.Provenance with { ParentUuid = source.Metadata.Uuid },
        };
        return new DgModel(metadata, tensors, new Dictionary<string, string>());
    }

    /// <summary>
    /// <paramref name="source"/> with the speech-embedding stream added: the front end's weights
    /// (<paramref name="frontEnd"/>, from SpeechEmbeddingNetwork.ImportOnnx) and a zero-initialised projection, so the
    /// result computes exactly what <paramref name="source"/> computes until training teaches it to use the stream.
    /// Everything else (weights, vocabulary, decoding options, training history) carries over; the result is a new model
    /// (new UUID) whose parent is <paramref name="source"/>.
    /// </summary>
    public static DgModel AddSpeechEmbedding(DgModel source, IReadOnlyDictionary<string, TensorData> frontEnd, string fusion = "add")
    {
        if (source.Metadata.Architecture.SpeechEmbeddingDim > 0 || source.Metadata.Features.SpeechEmbedding)
            throw new DgToolsException("the model already has the speech-embedding stream");
        var config = source.Metadata.Architecture with { SpeechEmbeddingDim = SpeechEmbedding.SpeechEmbeddingNetwork.Dimension, SpeechEmbeddingFusion = fusion };
        using var module = new ConformerCtc(config);
        var tensors = module.ExportTensors();
        foreach (var (name, t) in source.Tensors)
        {
            if (!tensors.ContainsKey(name)) throw new ModelFileError($"tensor '{name}' is not part of the model's architecture");
            tensors[name] = t;
        }
        foreach (var name in SpeechEmbedding.SpeechEmbeddingNetwork.Shapes().Keys)
            tensors[name] = frontEnd.TryGetValue(name, out var t) ? t : throw new ModelFileError($"speech-embedding weights lack tensor '{name}'");
        var metadata = source.Metadata with
        {
            Uuid = Guid.NewGuid(),
            Architecture = config,
            Features = source.Metadata.Features with { SpeechEmbedding = true },
            Provenance = source.Metadata.Provenance with { ParentUuid = source.Metadata.Uuid },
        };
        return new DgModel(metadata, tensors, source.Sections);
    }

    /// <summary>
    /// <paramref name="source"/> (a model with the frozen speech-embedding stream) set to tune the stream's network: the
    /// same weights, but its features carry the stream's melspectrogram and the model runs the convolutions itself
    /// (ModelConfig.SpeechEmbeddingTrainable). Computes what <paramref name="source"/> computes except in the few
    /// frames at a clip's edges (TrainableSpeechEmbedding). A model already tuning it is returned as it is.
    /// </summary>
    public static DgModel TuneSpeechEmbedding(DgModel source)
    {
        if (source.Metadata.Architecture.SpeechEmbeddingDim == 0)
            throw new DgToolsException("the model has no speech-embedding stream to tune (dgtools init --speech-embedding adds one)");
        if (source.Metadata.Architecture.SpeechEmbeddingTrainable) return source;
        var metadata = source.Metadata with
        {
            Architecture = source.Metadata.Architecture with { SpeechEmbeddingTrainable = true },
            Features = source.Metadata.Features with { SpeechEmbeddingMelspectrogram = true },
        };
        return source with { Metadata = metadata };
    }

    /// <summary>True when <paramref name="source"/>'s output layer already covers <paramref name="language"/>'s units.</summary>
    public static bool KeepsOutputLayer(string language, DgModel source) =>
        source.Metadata.Units.SequenceEqual(Alphabet.For(language).Units);

    private static bool IsHead(string tensorName) => tensorName.StartsWith("ctc_head.", StringComparison.Ordinal);
}
