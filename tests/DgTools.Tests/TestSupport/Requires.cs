// Tests that need something from outside the repository say so with these attributes, and are skipped where it is
// missing — counted as skipped, with the reason — never passed: ../shared's real speech beside the clone, Debian's
// python3-torch (the reference implementation); a tmpfs mount (root) is TmpfsFact's, in TmpfsFact.cs.
using Xunit;

namespace DgTools.Tests.TestSupport;

public static class Requirements
{
    /// <summary>Why ../shared/data/fsdd-digits cannot be used, or null when it can.</summary>
    public static string? MissingSharedData =>
        Directory.Exists(DigitsResources.SharedDigits) ? null
            : $"needs the real spoken digits at {DigitsResources.SharedDigits} (../shared beside the clone)";

    private static readonly Lazy<string?> PythonTorch = new(() =>
        ProcessRunner.Run("/usr/bin/python3", ["-c", "import torch"]).ExitCode == 0 ? null
            : "needs Debian's /usr/bin/python3 with python3-torch, the reference implementation (scripts/setup.sh installs it)");

    public static string? MissingPythonTorch => PythonTorch.Value;
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

/// <summary>A fact on the real digits that also needs a small tmpfs (the disk-full path during training); skipped,
/// saying why, where either is missing.</summary>
public sealed class FsddTmpfsFactAttribute : FactAttribute
{
    public FsddTmpfsFactAttribute() => Skip = Requirements.MissingSharedData ?? Tmpfs.WhyUnavailable;
}
