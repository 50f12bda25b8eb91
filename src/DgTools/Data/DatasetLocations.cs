// Which data set directories a run uses: every set under the language's dgdatasets tree by default, or what
// --dataset-locations names: "/dgtraining:A" (set A of the resource directory), "/dgtraining/en:A" (set A of the
// en tree), a list file such as /dgtraining/datasets.lst (one location a line, '#' comments), or a plain directory
// (a set itself when it holds audio, else a folder of sets). "/dgtraining" is the guide's container mount of
// $DGTOOLS_RESOURCE_DIR and is mapped onto it.
using DgTools.Audio;

namespace DgTools.Data;

public static class DatasetLocations
{
    public const string DatasetsFolder = "dgdatasets";

    public static IReadOnlyList<DatasetLocation> Resolve(ResourceDirectory resources, string language, string? locations)
    {
        var found = new List<DatasetLocation>();
        // An empty value (an unset shell variable, a stray "") is a mistake, not a request for every set.
        if (locations is not null && string.IsNullOrWhiteSpace(locations))
            throw new DatasetError("--dataset-locations is empty: name a data set or a list file, or leave the option out to use every data set");
        if (locations is null)
        {
            var root = resources.DatasetsRoot(language);
            if (!Directory.Exists(root))
                throw new DatasetError($"no data sets: {root} does not exist (copy data sets into it, one folder each)", root);
            AddSetsUnder(root, found);
            if (found.Count == 0) throw new DatasetError("no data sets: the folder has no data set subfolders", root);
        }
        else
        {
            AddLocation(resources, locations.Trim(), found, depth: 0);
            if (found.Count == 0) throw new DatasetError($"dataset location '{locations.Trim()}' names no data sets", resources.MapPath(locations.Trim()));
        }
        return Deduplicate(found);
    }

    private static void AddLocation(ResourceDirectory resources, string location, List<DatasetLocation> found, int depth)
    {
        if (depth > 4) throw new DatasetError($"dataset location lists nest too deeply at '{location}'");
        int colon = location.LastIndexOf(':');
        if (colon > 0 && colon < location.Length - 1 && !File.Exists(location) && !Directory.Exists(location))
        {
            var baseDir = MapInside(resources, location[..colon], location);
            var set = location[(colon + 1)..];
            if (set is "." or ".." || set.Contains('/') || set.Contains('\\'))
                throw new DatasetError($"data set name '{set}' in '{location}' is not a folder name");
            var candidates = new[] { Path.Combine(baseDir, DatasetsFolder, set), Path.Combine(baseDir, set) };
            var dir = candidates.FirstOrDefault(Directory.Exists)
                      ?? throw new DatasetError($"data set '{set}' of '{location}' not found (looked in {string.Join(" and ", candidates)})");
            found.Add(new DatasetLocation(Path.GetFileName(dir), dir));
            return;
        }
        var path = MapInside(resources, location, location);
        if (File.Exists(path))
        {
            foreach (var line in ReadListFile(path)) AddLocation(resources, line, found, depth + 1);
            return;
        }
        if (!Directory.Exists(path)) throw new DatasetError($"dataset location '{location}' does not exist", path);
        if (Directory.EnumerateFiles(path).Any(AudioDecoder.IsAudioFile))
            found.Add(new DatasetLocation(Path.GetFileName(Path.TrimEndingDirectorySeparator(path)), path));
        else
        {
            var inner = Directory.Exists(Path.Combine(path, DatasetsFolder)) ? Path.Combine(path, DatasetsFolder) : path;
            int before = found.Count;
            AddSetsUnder(inner, found);
            if (found.Count == before) throw new DatasetError($"dataset location '{location}' holds no audio and no data set folders", path);
        }
    }

    /// <summary>A "/dgtraining/..." path must stay inside the resource directory ("/dgtraining/../x" is refused).</summary>
    private static string MapInside(ResourceDirectory resources, string path, string location)
    {
        var mapped = Path.GetFullPath(resources.MapPath(path));
        if ((path == ResourceDirectory.ContainerMount || path.StartsWith(ResourceDirectory.ContainerMount + "/", StringComparison.Ordinal))
            && mapped != resources.Root && !mapped.StartsWith(resources.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new DatasetError($"dataset location '{location}' points outside the resource directory", mapped);
        return mapped;
    }

    /// <summary>Lines of a list file (keep lists, datasets.lst) without '#' comments and blank lines.</summary>
    public static IEnumerable<string> ReadListFile(string path)
    {
        string[] lines;
        try { lines = File.ReadAllLines(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasetError($"cannot read list file: {e.Message}", path, e);
        }
        foreach (var raw in lines)
        {
            int hash = raw.IndexOf('#');
            var line = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (line.Length > 0) yield return line;
        }
    }

    private static void AddSetsUnder(string root, List<DatasetLocation> found)
    {
        foreach (var dir in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(dir);
            if (name.StartsWith('.')) continue;
            found.Add(new DatasetLocation(name, dir));
        }
    }

    private static IReadOnlyList<DatasetLocation> Deduplicate(List<DatasetLocation> found)
    {
        var byName = new Dictionary<string, DatasetLocation>(StringComparer.Ordinal);
        foreach (var location in found)
        {
            var full = Path.GetFullPath(location.Directory);
            if (byName.TryGetValue(location.Name, out var other))
            {
                if (Path.GetFullPath(other.Directory) == full) continue;
                throw new DatasetError(
                    $"two data sets are both named '{location.Name}' ({other.Directory} and {location.Directory}); rename one",
                    location.Directory);
            }
            byName[location.Name] = location with { Directory = full };
        }
        return [.. byName.Values];
    }
}
