// Where a model's forgetting guards come from: the replay set (general speech mixed into fine-tuning) and the guard
// set (general speech measured for forgetting) that belong to a general model. They are found from the model file
// alone, so a copied model trains with the same guards as the bundled one:
//   1. beside the file: "<model>.replay/" and "<model>.guard/";
//   2. beside an installed general model whose uuid is this model's own (a copy) or its parent's (a model trained
//      from it). Installed general models are the *.dg files in $DGTOOLS_MODELS (':'-separated folders), in
//      "<resource dir>/models/", and in the "models/" folder of the dgtools installation.
using DgTools.Data;
using DgTools.Model;

namespace DgTools.Preparation;

/// <summary>A companion set that was found, and how: the sentence autotrain prints says where its guards came from.</summary>
public sealed record CompanionSet(string Directory, string Origin);

public sealed class ForgettingGuards
{
    public const string ModelsVariable = "DGTOOLS_MODELS";
    private readonly IReadOnlyList<string> _installedFolders;

    public ForgettingGuards(IReadOnlyList<string> installedFolders) => _installedFolders = installedFolders;

    /// <summary>The installed general models' folders for this resource directory and environment.</summary>
    public static ForgettingGuards For(ResourceDirectory resources)
    {
        var folders = new List<string>();
        if (Environment.GetEnvironmentVariable(ModelsVariable) is { Length: > 0 } fromEnv)
            folders.AddRange(fromEnv.Split(':', StringSplitOptions.RemoveEmptyEntries));
        folders.Add(Path.Combine(resources.Root, "models"));
        if (InstallationModels() is { } bundled) folders.Add(bundled);
        return new ForgettingGuards(folders.Select(Path.GetFullPath).Distinct().ToList());
    }

    /// <summary>"&lt;model without .dg&gt;&lt;suffix&gt;": where a general model's companion sets (.guard, .replay) sit.</summary>
    public static string BesideModel(string modelPath, string suffix)
    {
        var full = Path.GetFullPath(modelPath);
        return (full.EndsWith(".dg", StringComparison.OrdinalIgnoreCase) ? full[..^3] : full) + suffix;
    }

    /// <summary>The companion folder with this suffix (".replay", ".guard") for the model, or null.</summary>
    public CompanionSet? Find(string modelPath, ModelMetadata metadata, string suffix)
    {
        var beside = BesideModel(modelPath, suffix);
        if (Directory.Exists(beside)) return new CompanionSet(beside, "beside the model");
        foreach (var (general, relation) in InstalledRelatives(modelPath, metadata))
        {
            var dir = BesideModel(general, suffix);
            if (Directory.Exists(dir)) return new CompanionSet(dir, $"of the installed general model {general}, {relation}");
        }
        return null;
    }

    /// <summary>Installed general models that are this model (same uuid) or the one it was trained from.</summary>
    private IEnumerable<(string Path, string Relation)> InstalledRelatives(string modelPath, ModelMetadata metadata)
    {
        var self = Path.GetFullPath(modelPath);
        foreach (var folder in _installedFolders.Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*.dg").Order(StringComparer.Ordinal))
            {
                if (Path.GetFullPath(file) == self) continue;
                Guid uuid;
                try { uuid = ModelFile.ReadMetadata(file).Uuid; }
                catch (ModelFileError) { continue; }   // not ours to judge here; the model given is what must be valid
                if (uuid == metadata.Uuid) yield return (file, "the same model (same uuid)");
                else if (uuid == metadata.Provenance.ParentUuid) yield return (file, "the model it was trained from");
            }
        }
    }

    /// <summary>The "models/" folder of the installation the running program belongs to: the first ancestor of the
    /// program's folder that has one (a source build runs from src/DgTools.Cli/bin/…).</summary>
    private static string? InstallationModels()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var models = Path.Combine(dir.FullName, "models");
            if (Directory.Exists(models) && Directory.EnumerateFiles(models, "general-*.dg").Any()) return models;
        }
        return null;
    }
}
