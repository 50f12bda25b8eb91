using System.CommandLine;
using DgTools.Model;

namespace DgTools.Cli.Commands;

public static class MakeDeployableCommand
{
    public static Command Create(CliEnvironment env)
    {
        var file = new Argument<string>("FILE") { Description = "The trained .dg model (usually *.last.dg)." };
        var name = new Option<string?>("--name") { Description = "Model name (default: the name in the model's metadata)." };
        var tags = new Option<string[]>("--tags")
        {
            Description = "Tags for the model's metadata (any number).",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("makedeployable", "Write a deployable copy of a model as <name>_<lang>__<tags>_deployable.dg.")
        {
            file, name, tags,
        };
        command.SetAction(parse =>
        {
            env.Out.WriteLine("Initializing the environment...");
            var source = ModelFiles.Read(env, env.ResolvePath(parse.GetValue(file)!));
            env.Out.WriteLine("Complete.");
            var (model, fileName) = Deployable.Make(source, parse.GetValue(name), parse.GetValue(tags));
            ModelFile.Write(Path.Combine(env.CurrentDirectory, fileName), model);
            env.Out.WriteLine($"Created {fileName}.");
            return CliApp.Ok;
        });
        return command;
    }
}
