using System.Diagnostics;
using DgTools.Tests.Reliability;
using Xunit;

namespace DgTools.Tests.Cli;

public class GcSettingsTests
{
    // The TorchSharp finalizer race needs a large gen-0 budget (DOTNET_GCgen0size); the program sets it for itself,
    // so the binary run without the ./dgtools launcher gets it too.
    [Fact]
    public void The_binary_run_directly_sets_its_own_gen0_budget()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(DgtoolsProcess.Dll);
        start.ArgumentList.Add("version");
        start.ArgumentList.Add("--verbose");
        start.Environment.Remove("DOTNET_GCgen0size");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(0, process.ExitCode);
        Assert.Contains("DGTools v", output);
        Assert.Contains("GC gen-0 budget: 0x10000000", output);
    }
}
