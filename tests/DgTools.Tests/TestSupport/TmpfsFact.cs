using Xunit;

namespace DgTools.Tests.TestSupport;

/// <summary>Small tmpfs mounts (a full disk, a read-only file system) for the storage tests; they need root and a
/// kernel that lets this process mount. A <see cref="TmpfsFactAttribute"/> test is skipped, saying why, without them.</summary>
public static class Tmpfs
{
    private static readonly Lazy<string?> Unavailable = new(() =>
    {
        using var dir = new TempDirectory("dgtools-tmpfs-probe");
        var (code, text) = Exec("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir.Path);
        if (code != 0) return $"cannot mount a tmpfs here ({text.Trim()})";
        Exec("umount", dir.Path);
        return null;
    });

    public static string? WhyUnavailable => Unavailable.Value;

    public static void Mount(string dir, string options)
    {
        Directory.CreateDirectory(dir);
        var (code, text) = Exec("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir);
        if (code != 0) throw new InvalidOperationException($"mount {dir}: {text}");
    }

    public static void Unmount(string dir) => Exec("umount", dir);

    private static (int, string) Exec(string file, params string[] args) => ProcessRunner.Run(file, args);
}

public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (Tmpfs.WhyUnavailable is { } why) Skip = why;
    }
}
