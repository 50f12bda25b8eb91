// `dgtools init` below the command line: an untrained model for a language, new or starting from another model's
// encoder, written to a file that must not exist yet.
namespace DgTools.Model;

/// <param name="Size">tiny or small; null: small (or the encoder model's size).</param>
/// <param name="Subsampling">4 or 8; null: the preset's (or the encoder model's).</param>
/// <param name="EncoderFrom">A trained model whose encoder the new model starts from.</param>
public sealed record InitOptions(string Path, string Language = "en", string Name = "general", string? Size = null,
    int? Subsampling = null, string? EncoderFrom = null, long Seed = 1);

/// <param name="Description">What was made, for the one line `init` prints.</param>
public sealed record InitResult(DgModel Model, string Description)
{
    public long Parameters => Model.Tensors.Values.Sum(t => t.ElementCount);
}

public static class ModelInit
{
    /// <param name="readSource">Reads the --encoder-from model (the CLI's reader adds its notes); default ModelFile.Read.</param>
    public static InitResult Run(InitOptions o, Func<string, DgModel>? readSource = null)
    {
        if (!Languages.IsSupported(o.Language))
            throw new OptionError($"unsupported language '{o.Language}' (supported: {string.Join(", ", Languages.Supported)})");
        if (File.Exists(o.Path)) throw new DgToolsException("will not overwrite an existing file", o.Path);
        InitResult result;
        if (o.EncoderFrom is { } sourcePath)
        {
            // The architecture comes from the source model: a size or subsampling given as well would be ignored.
            if (o.Size is not null || o.Subsampling is not null)
                throw new OptionError("--encoder-from takes the size and subsampling of its model: leave out --size and --subsampling");
            var source = (readSource ?? (p => ModelFile.Read(p, ModelArchitecture.ExpectedShapes)))(sourcePath);
            result = FromEncoder(o, sourcePath, source);
        }
        else
        {
            var config = NewModel.Preset(o.Size ?? "small");
            if (o.Subsampling is { } s) config = config with { Subsampling = s };
            result = new InitResult(NewModel.Create(o.Language, o.Name, config, o.Seed), $"untrained {o.Language} model");
        }
        ModelFile.Write(o.Path, result.Model);
        return result;
    }

    private static InitResult FromEncoder(InitOptions o, string sourcePath, DgModel source)
    {
        // A deployable model's weights stay sealed: no new model is made from them.
        if (!source.Metadata.Trainable) throw new DgToolsException("model is not trainable", sourcePath);
        var model = NewModel.CreateFromEncoder(o.Language, o.Name, source, o.Seed);
        var name = System.IO.Path.GetFileName(sourcePath);
        return new InitResult(model, NewModel.KeepsOutputLayer(o.Language, source)
            ? $"{o.Language} model with the encoder and output layer of {name}, to train again from scratch"
            : $"{o.Language} model with the encoder of {name} and a new output layer");
    }
}
