using System.CommandLine;

namespace DgTools.Cli.Commands;

public static class VersionCommand
{
    /// <param name="verbose">The global --verbose flag: also print the runtime the program runs on.</param>
    public static Command Create(CliEnvironment env, Option<bool> verbose)
    {
        var command = new Command("version", "Print the dgtools version.");
        command.SetAction(parse =>
        {
            env.Out.WriteLine(ProductInfo.Copyright);
            env.Out.WriteLine($"DGTools v{ProductInfo.Version}");
            if (parse.GetValue(verbose))
                env.Out.WriteLine($".NET {Environment.Version}; GC gen-0 budget: {env.GetVariable(GcSettings.Variable) ?? "runtime default"}");
            return CliApp.Ok;
        });
        return command;
    }
}
