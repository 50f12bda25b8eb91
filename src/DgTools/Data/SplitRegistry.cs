// The persistent train/validation split: $DGTOOLS_RESOURCE_DIR/.train_meta/datasetsplits.meta_jm records, for every
// source id ever seen, whether it trains or validates, so an item never changes role between runs (a validation
// item is never trained on). New ids get a role from a stable hash (~10 % validate, at least one per set of two or
// more), unless the set's keep_train.lst / keep_validate.lst names them. A keep list that contradicts a recorded
// role is warned about and ignored, as the guide says; deleting the file resets every split.
//
// File format (text, UTF-8, sorted by id so identical splits give identical bytes):
//   dgtools-datasetsplits 1
//   train<TAB>set/stem
//   validate<TAB>set/stem
using System.IO.Hashing;
using System.Text;
using DgTools.Reporting;

namespace DgTools.Data;

public enum SplitRole { Train, Validate }

public sealed record SplitResult(IReadOnlyList<Utterance> Train, IReadOnlyList<Utterance> Validate)
{
    private HashSet<string>? _validateIds;

    public SplitRole RoleOf(string sourceId) =>
        (_validateIds ??= Validate.Select(u => u.SourceId).ToHashSet(StringComparer.Ordinal)).Contains(sourceId)
            ? SplitRole.Validate
            : SplitRole.Train;
}

public sealed class SplitRegistry
{
    public const string Header = "dgtools-datasetsplits";
    public const int FormatVersion = 1;
    public const string KeepTrainFile = "keep_train.lst";
    public const string KeepValidateFile = "keep_validate.lst";
    public const double ValidationFraction = 0.10;

    private readonly SortedDictionary<string, SplitRole> _roles;

    private SplitRegistry(string path, SortedDictionary<string, SplitRole> roles)
    {
        FilePath = path;
        _roles = roles;
    }

    public string FilePath { get; }

    public IReadOnlyDictionary<string, SplitRole> Roles => _roles;

    public static SplitRegistry Load(ResourceDirectory resources) => Load(resources.SplitsFile);

    /// <summary>Reads the registry; a missing file is an empty registry. A file we do not understand is a DatasetError.</summary>
    public static SplitRegistry Load(string path)
    {
        var roles = new SortedDictionary<string, SplitRole>(StringComparer.Ordinal);
        if (!File.Exists(path)) return new SplitRegistry(path, roles);
        string[] lines;
        try { lines = File.ReadAllLines(path, Encoding.UTF8); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasetError($"cannot read the split file: {e.Message}", path, e);
        }
        var header = lines.Length > 0 ? lines[0].Split(' ') : [];
        if (header.Length != 2 || header[0] != Header)
            throw new DatasetError("not a dgtools split file (delete it to reset the splits)", path);
        if (!int.TryParse(header[1], out var version) || version != FormatVersion)
            throw new DatasetError($"split file version {header[1]} is not supported (this dgtools reads version {FormatVersion})", path);
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var parts = lines[i].Split('\t');
            SplitRole? role = parts.Length == 2 ? parts[0] switch { "train" => SplitRole.Train, "validate" => SplitRole.Validate, _ => null } : null;
            if (role is null || parts[1].Length == 0)
                throw new DatasetError($"split file line {i + 1} is malformed: '{lines[i]}' (delete the file to reset the splits)", path);
            roles[parts[1]] = role.Value;
        }
        return new SplitRegistry(path, roles);
    }

    public void Save()
    {
        var sb = new StringBuilder(_roles.Count * 32);
        sb.Append(Header).Append(' ').Append(FormatVersion).Append('\n');
        foreach (var (id, role) in _roles) sb.Append(role == SplitRole.Train ? "train" : "validate").Append('\t').Append(id).Append('\n');
        AtomicFile.WriteAllText(FilePath, sb.ToString());
    }

    /// <summary>Discovers roles for the run's recordings, records new ones and saves the file. A long recording is one
    /// item, so autotrain trains on all of its segments or validates on all of them, and evaluate scores it whole on
    /// the same side.</summary>
    /// <param name="save">False for readers (evaluate): new recordings get the roles a training run would give them
    /// (the same hash), but only training records them, so measuring never fixes a split as a side effect.</param>
    public static SplitResult Apply(ResourceDirectory resources, DiscoveryResult discovery, IRunReporter reporter, bool save = true)
    {
        var registry = Load(resources);
        var result = registry.Assign(discovery.Datasets, [.. discovery.Utterances, .. discovery.LongRecordings], reporter);
        if (save) registry.Save();
        return result;
    }

    /// <summary>Gives every utterance a role (recording new ones in memory; call <see cref="Save"/> to persist).</summary>
    public SplitResult Assign(IReadOnlyList<DatasetLocation> datasets, IReadOnlyList<Utterance> utterances, IRunReporter reporter)
    {
        var train = new List<Utterance>();
        var validate = new List<Utterance>();
        foreach (var group in utterances.GroupBy(u => u.Dataset))
        {
            var set = datasets.FirstOrDefault(d => d.Name == group.Key);
            var items = group.ToList();
            var keep = set is null ? new Dictionary<string, SplitRole>() : ReadKeepLists(set, items, reporter);
            var fresh = new List<Utterance>();
            foreach (var u in items)
            {
                keep.TryGetValue(u.SourceId, out var wanted);
                bool asked = keep.ContainsKey(u.SourceId);
                if (_roles.TryGetValue(u.SourceId, out var recorded))
                {
                    if (asked && wanted != recorded)
                        reporter.Warning($"{(wanted == SplitRole.Train ? KeepTrainFile : KeepValidateFile)} in '{u.Dataset}' asks for " +
                                         $"{u.SourceId} to {Verb(wanted)}, but an earlier run recorded it to {Verb(recorded)}; ignored " +
                                         $"(delete {FilePath} to reset all splits)");
                }
                else if (asked) _roles[u.SourceId] = wanted;
                else fresh.Add(u);
            }
            foreach (var u in fresh) _roles[u.SourceId] = HashFraction(u.SourceId) < ValidationFraction ? SplitRole.Validate : SplitRole.Train;

            // The floor: a set of two or more items always validates something, taken from the new items
            // with the smallest hashes (recorded roles never move).
            if (items.Count >= 2 && items.All(u => _roles[u.SourceId] == SplitRole.Train))
            {
                var pick = fresh.Where(u => _roles[u.SourceId] == SplitRole.Train).MinBy(u => HashFraction(u.SourceId));
                if (pick is not null) _roles[pick.SourceId] = SplitRole.Validate;
            }
            foreach (var u in items) (_roles[u.SourceId] == SplitRole.Validate ? validate : train).Add(u);
        }
        return new SplitResult(train, validate);
    }

    private static string Verb(SplitRole role) => role == SplitRole.Train ? "train" : "validate";

    /// <summary>Stable across runs, machines and .NET versions: XxHash64 of the UTF-8 id, as a fraction of 2^64.</summary>
    public static double HashFraction(string sourceId) =>
        XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(sourceId)) / 18446744073709551616.0;

    // Keep-list entries name stems ("a", or "sub/a" for files in subfolders) or full ids ("set/a").
    private static Dictionary<string, SplitRole> ReadKeepLists(DatasetLocation set, List<Utterance> items, IRunReporter reporter)
    {
        var wanted = new Dictionary<string, SplitRole>(StringComparer.Ordinal);
        var byStem = items.ToDictionary(u => u.SourceId[(set.Name.Length + 1)..], u => u.SourceId, StringComparer.Ordinal);
        var byFileStem = items.GroupBy(u => u.Stem).Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.First().SourceId, StringComparer.Ordinal);
        foreach (var (file, role) in new[] { (KeepTrainFile, SplitRole.Train), (KeepValidateFile, SplitRole.Validate) })
        {
            var path = Path.Combine(set.Directory, file);
            if (!File.Exists(path)) continue;
            foreach (var entry in DatasetLocations.ReadListFile(path))
            {
                var stem = Path.ChangeExtension(entry.Replace('\\', '/'), null)!;
                if (stem.StartsWith(set.Name + "/", StringComparison.Ordinal) && byStem.ContainsKey(stem[(set.Name.Length + 1)..]))
                    stem = stem[(set.Name.Length + 1)..];
                var id = byStem.GetValueOrDefault(stem) ?? byFileStem.GetValueOrDefault(stem);
                if (id is null)
                {
                    reporter.Warning($"{path}: '{entry}' names no usable file in data set '{set.Name}'; ignored");
                    continue;
                }
                if (wanted.TryGetValue(id, out var other) && other != role)
                {
                    reporter.Warning($"{path}: {id} is in both keep lists; it will validate");
                    wanted[id] = SplitRole.Validate;
                    continue;
                }
                wanted[id] = role;
            }
        }
        return wanted;
    }
}
