using System.CommandLine;
using System.Text.Json;
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

public static class ModelInfo
{
    public static string Abilities(ModelMetadata m) => (m.Trainable, m.Deployable) switch
    {
        (true, true) => "Model is trainable and deployable.",
        (true, false) => "Model is trainable but not deployable.",
        (false, true) => "Model is deployable but not trainable.",
        _ => "Model is neither trainable nor deployable.",
    };

    public static string Text(ModelMetadata m) =>
        $"{Abilities(m)}\n" +
        $"Name: {m.Name}\n" +
        $"UUID: {m.Uuid}\n" +
        $"Version: {m.Version}\n" +
        $"Tags:{(m.Tags.Count > 0 ? " " + string.Join(", ", m.Tags) : "")}\n" +
        $"Languages: {string.Join(", ", m.Languages)}\n";

    public static string Json(DgModel model)
    {
        var m = model.Metadata;
        var doc = new
        {
            trainable = m.Trainable,
            deployable = m.Deployable,
            name = m.Name,
            uuid = m.Uuid,
            version = m.Version,
            tags = m.Tags,
            languages = m.Languages,
            parameters = model.Tensors.Values.Sum(t => t.ElementCount),
            architecture = m.Architecture,
            provenance = m.Provenance,
            added_words = m.AddedWords,
        };
        return JsonSerializer.Serialize(doc, new JsonSerializerOptions(ModelMetadata.Json) { WriteIndented = true }) + "\n";
    }
}
