// Tests that need something from outside the repository say so with these attributes, and are skipped where it is
// missing — counted as skipped, with the reason — never passed: ../shared's real speech beside the clone, Debian's
// python3-torch (the reference implementation), and a tmpfs mount (root) for the disk-full path.
using System.Diagnostics;
using Xunit;

namespace DgTools.Tests.TestSupport;

public static class Requirements
{
    /// <summary>Why ../shared/data/fsdd-digits cannot be used, or null when it can.</summary>
    public static string? MissingSharedData =>
        Directory.Exists(DigitsResources.SharedDigits) ? null
            : $"needs the real spoken digits at {DigitsResources.SharedDigits} (../shared beside the clone)";

    private static readonly Lazy<string?> PythonTorch = new(() =>
        Run("/usr/bin/python3", "-c", "import torch") ? null
            : "needs Debian's /usr/bin/python3 with python3-torch, the reference implementation (scripts/setup.sh installs it)");

    public static string? MissingPythonTorch => PythonTorch.Value;

    private static readonly Lazy<string?> Tmpfs = new(() =>
    {
        var dir = Directory.CreateTempSubdirectory("dgtools-tmpfs-probe").FullName;
        try
        {
            if (!Run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir)) return "needs to mount a small tmpfs (root in a machine that allows it)";
            Run("umount", dir);
            return null;
        }
        finally { Directory.Delete(dir); }
    });

    public static string? MissingTmpfs => Tmpfs.Value;

    private static bool Run(string file, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in args) start.ArgumentList.Add(a);
            using var p = Process.Start(start)!;
            p.StandardError.ReadToEnd();
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception) { return false; }
    }
}

/// <summary>A fact on the real spoken digits in ../shared; skipped, saying why, without them.</summary>
public sealed class FsddFactAttribute : FactAttribute
{
    public FsddFactAttribute() => Skip = Requirements.MissingSharedData;
}

/// <summary>A theory on the real spoken digits in ../shared; skipped, saying why, without them.</summary>
public sealed class FsddTheoryAttribute : TheoryAttribute
{
    public FsddTheoryAttribute() => Skip = Requirements.MissingSharedData;
}

/// <summary>A parity fact against the PyTorch reference; skipped, saying why, without python3-torch.</summary>
public sealed class PythonTorchFactAttribute : FactAttribute
{
    public PythonTorchFactAttribute() => Skip = Requirements.MissingPythonTorch;
}

/// <summary>A fact that fills a small tmpfs (the disk-full path) on the real digits; skipped, saying why, where
/// either is missing.</summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute() => Skip = Requirements.MissingSharedData ?? Requirements.MissingTmpfs;
}
