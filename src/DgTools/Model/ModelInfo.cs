// `dgtools modelinfo` below the command line: a model file's metadata as the guide's text or as JSON.
using System.Text.Json;

namespace DgTools.Model;

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
