using Xunit;

namespace DgTools.Tests.Data;

/// <summary>Real data that lives beside the repository in ../shared/data (never copied into it).</summary>
public static class SharedData
{
    public static string? RepositoryRoot { get; } = FindRoot();

    public static string FsddDigits => Path.Combine(RepositoryRoot ?? "/nonexistent", "..", "shared", "data", "fsdd-digits");

    public static bool HasFsdd => Directory.Exists(FsddDigits);

    private static string? FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DgTools.slnx"))) return dir.FullName;
        return null;
    }
}
