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
            var result = ModelInit.Run(new InitOptions(env.ResolvePath(parse.GetValue(output)!), parse.GetValue(lang)!, parse.GetValue(name)!)
            {
                // An explicit --size only: with --encoder-from or --extend, giving one is an error.
                Size = parse.GetResult(size) is { Implicit: false } ? parse.GetValue(size) : null,
                Subsampling = parse.GetValue(subsampling),
                EncoderFrom = parse.GetValue(encoderFrom) is { } source ? env.ResolvePath(source) : null,
                Seed = parse.GetValue(seed),
                SpeechEmbedding = parse.GetValue(speechEmbedding) is { } d ? env.ResolvePath(d) : null,
                SpeechEmbeddingFusion = parse.GetValue(fusion)!,
                Extend = parse.GetValue(extend) is { } e ? env.ResolvePath(e) : null,
            }, source => ModelFiles.Read(env, source));
            env.Out.WriteLine($"Created {Path.GetFileName(parse.GetValue(output)!)}: {result.Summary}.");
            return CliApp.Ok;
        });
        return command;
    }
}
