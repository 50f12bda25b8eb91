// `dgtools init` below the command line: an untrained model for a language — new, from another model's encoder, or
// (--extend) a trained model with the speech-embedding stream added — written to a file that must not exist yet.
using DgTools.Model.SpeechEmbedding;

namespace DgTools.Model;

public sealed record InitOptions(string Path, string Language = "en", string Name = "general")
{
    /// <summary>tiny or small; null: small (or the source model's size).</summary>
    public string? Size { get; init; }
    /// <summary>4 or 8; null: the preset's (or the source model's).</summary>
    public int? Subsampling { get; init; }
    /// <summary>A trained model whose encoder the new model starts from.</summary>
    public string? EncoderFrom { get; init; }
    public long Seed { get; init; } = 1;
    /// <summary>Directory with the speech_embedding ONNX files: the model also hears that network's stream.</summary>
    public string? SpeechEmbedding { get; init; }
    /// <summary>add or norm-add.</summary>
    public string SpeechEmbeddingFusion { get; init; } = "add";
    /// <summary>With SpeechEmbedding: a trained model to add the stream to, keeping everything it has.</summary>
    public string? Extend { get; init; }
}

/// <param name="Summary">What was made, for the line `init` prints after "Created FILE: ".</param>
public sealed record InitResult(DgModel Model, string Summary);

public static class ModelInit
{
    /// <param name="readSource">Reads the --encoder-from or --extend model; default ModelFile.Read.</param>
    public static InitResult Run(InitOptions o, Func<string, DgModel>? readSource = null)
    {
        if (!Languages.IsSupported(o.Language))
            throw new OptionError($"unsupported language '{o.Language}' (supported: {string.Join(", ", Languages.Supported)})");
        if (File.Exists(o.Path)) throw new DgToolsException("will not overwrite an existing file", o.Path);
        var read = readSource ?? (p => ModelFile.Read(p, ModelArchitecture.ExpectedShapes));
        var result = o.Extend is { } extend ? Extend(o, extend, read) : Create(o, read);
        ModelFile.Write(o.Path, result.Model);
        return result;
    }

    private static InitResult Extend(InitOptions o, string extendPath, Func<string, DgModel> read)
    {
        if (o.SpeechEmbedding is null) throw new OptionError("--extend adds the speech-embedding stream: give --speech-embedding DIR");
        if (o.EncoderFrom is not null || o.Size is not null || o.Subsampling is not null)
            throw new OptionError("--extend keeps its model's architecture: leave out --encoder-from, --size and --subsampling");
        var source = Trainable(read(extendPath), extendPath);
        var model = NewModel.AddSpeechEmbedding(source, SpeechEmbeddingNetwork.ImportOnnx(o.SpeechEmbedding), o.SpeechEmbeddingFusion);
        return new InitResult(model, $"{Path.GetFileName(extendPath)} with the speech-embedding stream, {Count(model):N0} numbers");
    }

    private static InitResult Create(InitOptions o, Func<string, DgModel> read)
    {
        DgModel model;
        string what;
        if (o.EncoderFrom is { } sourcePath)
        {
            // The architecture comes from the source model: a size or subsampling given as well would be ignored.
            if (o.Size is not null || o.Subsampling is not null)
                throw new OptionError("--encoder-from takes the size and subsampling of its model: leave out --size and --subsampling");
            var source = Trainable(read(sourcePath), sourcePath);
            model = NewModel.CreateFromEncoder(o.Language, o.Name, source, o.Seed);
            var name = Path.GetFileName(sourcePath);
            what = NewModel.KeepsOutputLayer(o.Language, source)
                ? $"{o.Language} model with the encoder and output layer of {name}, to train again from scratch"
                : $"{o.Language} model with the encoder of {name} and a new output layer";
        }
        else
        {
            var config = NewModel.Preset(o.Size ?? "small");
            if (o.Subsampling is { } s) config = config with { Subsampling = s };
            model = NewModel.Create(o.Language, o.Name, config, o.Seed);
            what = $"untrained {o.Language} model";
        }
        if (o.SpeechEmbedding is { } dir)
        {
            model = NewModel.AddSpeechEmbedding(model, SpeechEmbeddingNetwork.ImportOnnx(dir), o.SpeechEmbeddingFusion);
            what += " with the speech-embedding stream";
        }
        return new InitResult(model, $"{what}, {Count(model):N0} parameters");
    }

    // A deployable model's weights stay sealed: no new model is made from them.
    private static DgModel Trainable(DgModel model, string path) =>
        model.Metadata.Trainable ? model : throw new DgToolsException("model is not trainable", path);

    private static long Count(DgModel model) => model.Tensors.Values.Sum(t => t.ElementCount);
}
