using DgTools.Data;

namespace DgTools.Cli;

/// <summary>Everything a command may touch of the outside world, so tests can run the CLI in-process.</summary>
public sealed record CliEnvironment(
    TextWriter Out,
    TextWriter Err,
    string CurrentDirectory,
    Func<string, string?> GetVariable,
    bool IsTerminal)
{
    public static CliEnvironment FromProcess() => new(
        Console.Out,
        Console.Error,
        Directory.GetCurrentDirectory(),
        Environment.GetEnvironmentVariable,
        !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CI") is null);

    public ResourceDirectory Resources
    {
        get
        {
            var fromEnv = GetVariable(ResourceDirectory.EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(fromEnv)) return new ResourceDirectory(fromEnv);
            var home = GetVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return new ResourceDirectory(Path.Combine(home, "dgtools"));
        }
    }

    public bool Debug => GetVariable("DGTOOLS_DEBUG") is "1" or "true";

    /// <summary>A user path: /dgtraining/... maps onto the resource directory, relative paths onto the current directory.</summary>
    public string ResolvePath(string path) =>
        path.StartsWith(ResourceDirectory.ContainerMount, StringComparison.Ordinal)
            ? Resources.MapPath(path)
            : Path.GetFullPath(path, CurrentDirectory);
}
