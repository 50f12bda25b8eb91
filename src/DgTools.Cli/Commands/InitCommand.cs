using System.CommandLine;
using DgTools.Model;

namespace DgTools.Cli.Commands;

public static class InitCommand
{
    public static Command Create(CliEnvironment env)
    {
        var output = new Argument<string>("FILE") { Description = "Where to write the new model (.dg)." };
        var lang = new Option<string>("--lang") { Description = "Language code (see listlang).", DefaultValueFactory = _ => "en" };
        var name = new Option<string>("--name") { Description = "Model name in its metadata.", DefaultValueFactory = _ => "general" };
        var size = new Option<string>("--size") { Description = "tiny or small (the default CPU-trainable size).", DefaultValueFactory = _ => "small" };
        var subsampling = new Option<int?>("--subsampling") { Description = "Front-end time reduction: 4 or 8." };
        var encoderFrom = new Option<string?>("--encoder-from")
        {
            Description = "A trained model (any language) whose encoder the new model starts from; the output layer is new unless the model already has --lang's units. Size and subsampling come from it (--size and --subsampling are refused).",
        };
        var seed = new Option<long>("--seed") { Description = "Seed of the initial weights.", DefaultValueFactory = _ => 1 };
        var speechEmbedding = new Option<string?>("--speech-embedding")
        {
            Description = "Directory with the speech_embedding ONNX files (scripts/fetch-speech-embedding.sh): the model also hears that network's 96-d stream, trained on real speech; its weights go into the .dg.",
        };
        var fusion = new Option<string>("--speech-embedding-fusion")
        {
            Description = "norm-add (LayerNorm of each stream vector, then the projection; the stream's raw values reach ±50) or add (the projection alone).",
            DefaultValueFactory = _ => "norm-add",
        };
        var extend = new Option<string?>("--extend")
        {
            Description = "With --speech-embedding: a trained model to add the stream to, keeping everything it has (weights, vocabulary, decoding options); the projection starts at zero, so the result first computes exactly what the model did.",
        };
        var command = new Command("init", "Create an untrained model for a language, to train from scratch with autotrain.")
        {
            output, lang, name, size, subsampling, encoderFrom, seed, speechEmbedding, fusion, extend,
        };
        command.SetAction(parse =>
        {
            var language = parse.GetValue(lang)!;
            if (!Languages.IsSupported(language))
                throw new UsageException($"unsupported language '{language}' (supported: {string.Join(", ", Languages.Supported)})");
            var path = env.ResolvePath(parse.GetValue(output)!);
            if (File.Exists(path)) throw new DgToolsException("will not overwrite an existing file", path);
            DgModel model;
            string what;
            var embeddingDir = parse.GetValue(speechEmbedding) is { } d ? env.ResolvePath(d) : null;
            if (parse.GetValue(extend) is { } extendPath)
            {
                if (embeddingDir is null) throw new UsageException("--extend adds the speech-embedding stream: give --speech-embedding DIR");
                if (parse.GetValue(encoderFrom) is not null || parse.GetResult(size) is { Implicit: false } || parse.GetValue(subsampling) is not null)
                    throw new UsageException("--extend keeps its model's architecture: leave out --encoder-from, --size and --subsampling");
                var resolved = env.ResolvePath(extendPath);
                var source = ModelFile.Read(resolved, ModelArchitecture.ExpectedShapes);
                if (!source.Metadata.Trainable) throw new DgToolsException("model is not trainable", resolved);
                model = NewModel.AddSpeechEmbedding(source, Model.SpeechEmbedding.SpeechEmbeddingNetwork.ImportOnnx(embeddingDir), parse.GetValue(fusion)!);
                ModelFile.Write(path, model);
                env.Out.WriteLine($"Created {Path.GetFileName(path)}: {Path.GetFileName(extendPath)} with the speech-embedding stream, " +
                                  $"{model.Tensors.Values.Sum(t => t.ElementCount):N0} numbers.");
                return CliApp.Ok;
            }
            if (parse.GetValue(encoderFrom) is { } sourcePath)
            {
                // The architecture comes from the source model: a size or subsampling given as well would be ignored.
                if (parse.GetResult(size) is { Implicit: false } || parse.GetValue(subsampling) is not null)
                    throw new UsageException("--encoder-from takes the size and subsampling of its model: leave out --size and --subsampling");
                var resolved = env.ResolvePath(sourcePath);
                var source = ModelFiles.Read(env, resolved);
                // A deployable model's weights stay sealed: no new model is made from them.
                if (!source.Metadata.Trainable) throw new DgToolsException("model is not trainable", resolved);
                model = NewModel.CreateFromEncoder(language, parse.GetValue(name)!, source, parse.GetValue(seed));
                what = NewModel.KeepsOutputLayer(language, source)
                    ? $"{language} model with the encoder and output layer of {Path.GetFileName(sourcePath)}, to train again from scratch"
                    : $"{language} model with the encoder of {Path.GetFileName(sourcePath)} and a new output layer";
            }
            else
            {
                var config = NewModel.Preset(parse.GetValue(size)!);
                if (parse.GetValue(subsampling) is { } s) config = config with { Subsampling = s };
                model = NewModel.Create(language, parse.GetValue(name)!, config, parse.GetValue(seed));
                what = $"untrained {language} model";
            }
            if (embeddingDir is not null)
            {
                model = NewModel.AddSpeechEmbedding(model, Model.SpeechEmbedding.SpeechEmbeddingNetwork.ImportOnnx(embeddingDir), parse.GetValue(fusion)!);
                what += " with the speech-embedding stream";
            }
            ModelFile.Write(path, model);
            var parameters = model.Tensors.Values.Sum(t => t.ElementCount);
            env.Out.WriteLine($"Created {Path.GetFileName(path)}: {what}, {parameters:N0} parameters.");
            return CliApp.Ok;
        });
        return command;
    }
}
