using DgTools.Cli;

namespace DgTools.Tests.TestSupport;

public sealed record CliResult(int ExitCode, string Out, string Err);

/// <summary>Runs the dgtools CLI in-process with its own working and resource directories.</summary>
public static class CliRunner
{
    public static CliResult Run(string workDir, string resourceDir, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var env = new CliEnvironment(output, error, workDir,
            name => name switch
            {
                "DGTOOLS_RESOURCE_DIR" => resourceDir,
                "DGTOOLS_DEBUG" => null,
                _ => Environment.GetEnvironmentVariable(name),
            },
            IsTerminal: false);
        var code = CliApp.Run(args, env);
        return new CliResult(code, output.ToString(), error.ToString());
    }
}
