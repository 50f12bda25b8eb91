using System.CommandLine;
using DgTools.Model;

namespace DgTools.Cli.Commands;

public static class ModelInfoCommand
{
    public static Command Create(CliEnvironment env)
    {
        var file = new Argument<string>("FILE") { Description = "The .dg model file." };
        var json = new Option<bool>("--json") { Description = "Print the metadata as JSON." };
        var command = new Command("modelinfo", "Print a model file's metadata: trainable, deployable, name, uuid, version, tags, languages.")
        {
            file, json,
        };
        command.SetAction(parse =>
        {
            var path = env.ResolvePath(parse.GetValue(file)!);
            var model = ModelFiles.Read(env, path);
            env.Out.Write(parse.GetValue(json) ? ModelInfo.Json(model) : ModelInfo.Text(model.Metadata));
            return CliApp.Ok;
        });
        return command;
    }
}
