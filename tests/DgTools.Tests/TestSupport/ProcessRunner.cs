// Runs a short external program to completion and returns its exit code and output (stderr then stdout): the probes
// of Requirements (python3-torch) and Tmpfs (mount), and DgtoolsProcess's check of env(1). A program that is not
// installed gives exit code -1 and the reason, so a probe can skip instead of throwing.
using System.Diagnostics;

namespace DgTools.Tests.TestSupport;

public static class ProcessRunner
{
    public static (int ExitCode, string Output) Run(string file, IEnumerable<string> args)
    {
        try
        {
            var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in args) start.ArgumentList.Add(a);
            using var p = Process.Start(start)!;
            // Both pipes drained at once: a child that fills one while the other is read would otherwise hang.
            var error = p.StandardError.ReadToEndAsync();
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, error.Result + output);
        }
        catch (System.ComponentModel.Win32Exception e) { return (-1, e.Message); }
    }
}
