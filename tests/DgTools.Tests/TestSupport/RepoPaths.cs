namespace DgTools.Tests.TestSupport;

/// <summary>Where the repository and the shared data beside it are, found from the test binary's location.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The shared folder next to the clone (read in place, never copied into the repo).</summary>
    public static string Shared => System.IO.Path.GetFullPath(System.IO.Path.Combine(Root, "..", "shared"));

    public static string Fixtures => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures");

    /// <summary>The checked-in copy of a fixture (for golden files that a test may rewrite on request).</summary>
    public static string SourceFixtures => System.IO.Path.Combine(Root, "tests", "DgTools.Tests", "Fixtures");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "DgTools.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root (DgTools.slnx) not found above the test binaries");
    }
}
