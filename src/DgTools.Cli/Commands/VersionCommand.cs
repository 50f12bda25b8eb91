using System.CommandLine;

namespace DgTools.Cli.Commands;

public static class VersionCommand
{
    public static Command Create(CliEnvironment env)
    {
        var command = new Command("version", "Print the dgtools version.");
        command.SetAction(_ =>
        {
            env.Out.WriteLine(ProductInfo.Copyright);
            env.Out.WriteLine($"DGTools v{ProductInfo.Version}");
            return CliApp.Ok;
        });
        return command;
    }
}
