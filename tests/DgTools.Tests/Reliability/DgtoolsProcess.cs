// Runs the built dgtools (dgtools.dll beside the test binaries, started with `dotnet`) as a child process, for the
// tests that need a real process: SIGKILL, two processes holding one lock.
using System.Diagnostics;
using System.Text;
using DgTools.Tests.TestSupport;

namespace DgTools.Tests.Reliability;

public sealed class DgtoolsProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DgtoolsProcess(Process process) => _process = process;

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "dgtools.dll");

    /// <summary>Whether this machine's env(1) can reset signal dispositions (GNU coreutils 8.31 and later).</summary>
    public static bool DefaultSignalsEnv { get; } = ProcessRunner.Run("env", ["--default-signal=INT,TERM", "true"]).ExitCode == 0;

    public static DgtoolsProcess Start(string workDir, string resourceDir, params string[] args)
    {
        // SIGINT and SIGTERM at their default dispositions, whatever the test runner inherited: a suite started as a
        // background job of a non-interactive shell (`nohup scripts/test.sh &`, CI) has SIGINT ignored, children
        // inherit that, and .NET leaves an ignored signal ignored, so InterruptionTests' SIGINT would do nothing.
        // `env --default-signal` (coreutils 8.31+) resets them and then execs dotnet, keeping the process id.
        var start = new ProcessStartInfo(DefaultSignalsEnv ? "env" : "dotnet")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (DefaultSignalsEnv)
        {
            start.ArgumentList.Add("--default-signal=INT,TERM");
            start.ArgumentList.Add("dotnet");
        }
        start.ArgumentList.Add(Dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DGTOOLS_RESOURCE_DIR"] = resourceDir;
        start.Environment["CI"] = "1";
        start.Environment.Remove("DGTOOLS_DEBUG");
        var process = new Process { StartInfo = start };
        var child = new DgtoolsProcess(process);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>SIGKILL: no handler, no cleanup, exactly like a power cut for the process.</summary>
    public void Kill()
    {
        try { _process.Kill(entireProcessTree: false); } catch (InvalidOperationException) { }
        _process.WaitForExit();
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            Kill();
            throw new TimeoutException($"dgtools did not finish in {timeout}:\n{Output}");
        }
        _process.WaitForExit(); // drains the output readers
        return _process.ExitCode;
    }

    public static (int ExitCode, string Output) Run(string workDir, string resourceDir, TimeSpan timeout, params string[] args)
    {
        using var p = Start(workDir, resourceDir, args);
        var code = p.WaitForExit(timeout);
        return (code, p.Output);
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }
}
