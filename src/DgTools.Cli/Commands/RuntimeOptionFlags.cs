using System.CommandLine;
using DgTools.Runtime;

namespace DgTools.Cli.Commands;

/// <summary>--device and --threads, for every command that runs a model; unset flags take dgtools.toml's [runtime].</summary>
public sealed class RuntimeOptionFlags
{
    public Option<string?> Device { get; } = new("--device") { Description = "auto, cpu or cuda (default: dgtools.toml, else auto)." };
    public Option<int?> Threads { get; } = new("--threads") { Description = "Torch threads (default: dgtools.toml, else all cores)." };

    public static RuntimeOptionFlags Create() => new();

    public void AddTo(Command command)
    {
        command.Add(Device);
        command.Add(Threads);
    }

    public RuntimeSettings Resolve(ParseResult parse, CliEnvironment env) =>
        RuntimeSettings.Resolve(env.Resources, parse.GetValue(Device), parse.GetValue(Threads));
}
