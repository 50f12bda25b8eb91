using System.CommandLine;

namespace DgTools.Cli.Commands;

public static class HelpCommand
{
    public static Command Create(CliEnvironment env, IReadOnlyList<string> subcommands)
    {
        var command = new Command("help", "Print the usage and the valid subcommands.");
        command.SetAction(_ =>
        {
            env.Out.Write(Usage.Text(subcommands));
            return CliApp.Ok;
        });
        return command;
    }
}
