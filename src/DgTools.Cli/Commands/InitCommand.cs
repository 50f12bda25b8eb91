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
        var command = new Command("init", "Create an untrained model for a language, to train from scratch with autotrain.")
        {
            output, lang, name, size, subsampling, encoderFrom, seed,
        };
        command.SetAction(parse =>
        {
            var result = ModelInit.Run(new InitOptions(env.ResolvePath(parse.GetValue(output)!), parse.GetValue(lang)!, parse.GetValue(name)!,
                // An explicit --size only: with --encoder-from, giving one is an error.
                parse.GetResult(size) is { Implicit: false } ? parse.GetValue(size) : null,
                parse.GetValue(subsampling),
                parse.GetValue(encoderFrom) is { } source ? env.ResolvePath(source) : null,
                parse.GetValue(seed)));
            env.Out.WriteLine($"Created {Path.GetFileName(parse.GetValue(output)!)}: {result.Description}, {result.Parameters:N0} parameters.");
            return CliApp.Ok;
        });
        return command;
    }
}
