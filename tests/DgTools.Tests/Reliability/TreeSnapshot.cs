// What a directory tree holds, to prove a command changed nothing the user owns: every entry's relative path with
// its content hash (files), its target (symbolic links, never followed) or "dir". Tool-owned folders (.train_meta,
// .features_cache) may gain complete files, never temporary or partial ones.
using System.IO.Hashing;
using Xunit;

namespace DgTools.Tests.Reliability;

public sealed class TreeSnapshot
{
    /// <summary>Folders dgtools itself writes into; new entries there are allowed, temporary files are not.</summary>
    public static readonly string[] ToolOwned = [".train_meta", ".features_cache"];

    private TreeSnapshot(string root, SortedDictionary<string, string> entries)
    {
        Root = root;
        Entries = entries;
    }

    public string Root { get; }
    public IReadOnlyDictionary<string, string> Entries { get; }

    public static TreeSnapshot Take(string root)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (Directory.Exists(root)) Walk(root, root, entries);
        return new TreeSnapshot(root, entries);
    }

    private static void Walk(string root, string dir, SortedDictionary<string, string> entries)
    {
        foreach (var info in new DirectoryInfo(dir).EnumerateFileSystemInfos())
        {
            var relative = Path.GetRelativePath(root, info.FullName);
            if (info.LinkTarget is { } target) entries[relative] = "link:" + target;
            else if (info is DirectoryInfo) { entries[relative] = "dir"; Walk(root, info.FullName, entries); }
            else entries[relative] = Hash(info.FullName);
        }
    }

    private static string Hash(string path)
    {
        try { return Convert.ToHexStringLower(XxHash128.Hash(File.ReadAllBytes(path))); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return "unreadable:" + e.GetType().Name; }
    }

    /// <summary>Nothing outside the tool-owned folders changed, appeared or vanished; nothing anywhere is a temp file.</summary>
    public void AssertUnchangedBy(TreeSnapshot after)
    {
        var problems = new List<string>();
        foreach (var (path, hash) in Entries)
        {
            if (!after.Entries.TryGetValue(path, out var now)) problems.Add($"removed: {path}");
            else if (now != hash) problems.Add($"changed: {path}");
        }
        foreach (var path in after.Entries.Keys.Where(p => !Entries.ContainsKey(p)))
            if (!IsToolOwned(path)) problems.Add($"created: {path}");
        foreach (var path in after.Entries.Keys)
            if (IsPartial(path)) problems.Add($"temporary file left: {path}");
        Assert.True(problems.Count == 0, $"{Root}: " + string.Join("; ", problems));
    }

    public static bool IsToolOwned(string relative) =>
        ToolOwned.Any(d => relative == d || relative.StartsWith(d + Path.DirectorySeparatorChar, StringComparison.Ordinal));

    public static bool IsPartial(string relative)
    {
        var name = Path.GetFileName(relative);
        return name.EndsWith(".tmp", StringComparison.Ordinal) || name.EndsWith(".partial", StringComparison.Ordinal);
    }
}
