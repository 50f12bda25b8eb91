// What libtorch itself writes to stderr reaches the user's terminal unfiltered: it must stay quiet on a normal run.
using DgTools.Tests.Data;
using DgTools.Tests.TestSupport;
using Xunit;

namespace DgTools.Tests.Reliability;

[Trait("Tier", "Slow")]   // training runs, processes or timed trials: the full suite only (not scripts/test.sh --fast)
public class NativeLogTests
{
    [FsddFact]
    public void Training_on_one_thread_does_not_flood_stderr_with_nnpack_warnings()
    {
        // On CPUs NNPACK does not support (this project's CI machines), libtorch logged "Could not initialize NNPACK!
        // Reason: Unsupported hardware." for every convolution oneDNN does not take — hundreds of lines a minute.
        using var dir = new TempDirectory("dgtools-nnpack");
        var (work, res) = KillNineHarness.Prepare(dir.Path);
        var (code, output) = DgtoolsProcess.Run(work, res, TimeSpan.FromMinutes(5), KillNineHarness.Arguments);
        Assert.True(code == 0, output);
        Assert.DoesNotContain("NNPACK", output);
    }
}
