// `makedeployable`: a copy of a model marked deployable, with the name and tags the user gives, under the guide's
// file name <name>_<lang>__<tags joined by _>_deployable.dg. The input is never modified.
using System.Text.RegularExpressions;

namespace DgTools.Model;

public static partial class Deployable
{
    // '_' is allowed (the guide's own example is "deployed_model"), but not "__", which separates the language from the tags.
    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9.-]|_(?!_))*$")]
    private static partial Regex SafeName();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9.-]*$")]
    private static partial Regex SafeTag();

    /// <summary>The new model and the file name it goes under.</summary>
    public static (DgModel Model, string FileName) Make(DgModel source, string? name, IReadOnlyList<string>? tags)
    {
        var finalName = name ?? source.Metadata.Name;
        if (!SafeName().IsMatch(finalName))
            throw new DgToolsException($"model name '{finalName}' may hold only letters, digits, '.', '-' and single '_' (no '__', '/' or spaces)");
        var finalTags = tags is { Count: > 0 } ? tags : source.Metadata.Tags;
        foreach (var tag in finalTags)
        {
            if (!SafeTag().IsMatch(tag))
                throw new DgToolsException($"tag '{tag}' may hold only letters, digits, '.' and '-' (no '_', '/' or spaces)");
        }

        var meta = source.Metadata with
        {
            Name = finalName,
            Tags = finalTags.ToList(),
            Deployable = true,
            Uuid = Guid.NewGuid(),
            Provenance = source.Metadata.Provenance with { ParentUuid = source.Metadata.Uuid },
        };
        var tagPart = finalTags.Count > 0 ? "_" + string.Join("_", finalTags) : "";
        return (source with { Metadata = meta }, $"{finalName}_{meta.Language}_{tagPart}_deployable.dg");
    }
}
