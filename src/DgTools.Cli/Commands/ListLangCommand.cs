using System.CommandLine;

namespace DgTools.Cli.Commands;

public static class ListLangCommand
{
    public static Command Create(CliEnvironment env)
    {
        var command = new Command("listlang", "List the languages dgtools can train.");
        command.SetAction(_ =>
        {
            env.Out.WriteLine($"Currently supported languages: {string.Join(", ", Languages.Supported)}.");
            return CliApp.Ok;
        });
        return command;
    }
}
