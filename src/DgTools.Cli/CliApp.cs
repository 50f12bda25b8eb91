// The dgtools command line: builds the command tree, parses, and turns every typed error into one line and an exit
// code (1 for a failed run, 2 for a usage error). Behaviour lives in the library; commands only adapt.
using System.CommandLine;
using System.CommandLine.Help;
using DgTools.Cli.Commands;

namespace DgTools.Cli;

public static class CliApp
{
    public const int Ok = 0, Failed = 1, UsageError = 2;

    public static int Run(string[] args, CliEnvironment env)
    {
        var verbose = new Option<bool>("--verbose") { Description = "Show stack traces of errors.", Recursive = true };
        var commands = new List<Command>
        {
            AutotrainCommand.Create(env),
            MakeDeployableCommand.Create(env),
            ModelInfoCommand.Create(env),
            ListLangCommand.Create(env),
            InitCommand.Create(env),
            TranscribeCommand.Create(env),
            EvaluateCommand.Create(env),
            CheckCommand.Create(env),
            ServeCommand.Create(env),
        };
        // A named Command rather than RootCommand, whose name would be the host process's (testhost under tests).
        var root = new Command("dgtools", "dgtools: custom-train speech recognition models") { verbose, new HelpOption() };
        var names = commands.Select(c => c.Name).Concat(["help", "version"]).ToList();
        commands.Add(HelpCommand.Create(env, names));
        commands.Add(VersionCommand.Create(env, verbose));
        foreach (var c in commands) root.Add(c);

        if (args.Length == 0)
        {
            env.Err.Write(Usage.Text(names));
            return UsageError;
        }

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var first = Friendly(parse.Errors[0].Message);
            if (parse.CommandResult.Command == root && !names.Contains(args[0]) && !args[0].StartsWith('-'))
                first = $"unknown subcommand '{args[0]}'";
            env.Err.WriteLine($"error: {first}");
            env.Err.Write(Usage.Text(names));
            return UsageError;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = env.Out, Error = env.Err, EnableDefaultExceptionHandler = false });
        }
        catch (DgToolsException e)
        {
            env.Err.WriteLine($"error: {e.OneLine}");
            if (parse.GetValue(verbose) || env.Debug) env.Err.WriteLine(e);
            return e is UsageException or OptionError ? UsageError : Failed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            env.Err.WriteLine($"error: {e.Message}");
            if (parse.GetValue(verbose) || env.Debug) env.Err.WriteLine(e);
            return Failed;
        }
        catch (OperationCanceledException)
        {
            env.Err.WriteLine("error: interrupted");
            return Failed;
        }
        catch (Exception e)
        {
            // A bug, not bad input: still one line, with the way to see more.
            env.Err.WriteLine($"error: internal error, {e.GetType().Name}: {e.Message.Split('\n')[0]} (run with --verbose for details and please report it)");
            if (parse.GetValue(verbose) || env.Debug) env.Err.WriteLine(e);
            return Failed;
        }
    }

    // System.CommandLine names .NET types ("System.Nullable`1[System.Int32]"); a user wants to know what to type.
    private static string Friendly(string message)
    {
        var m = System.Text.RegularExpressions.Regex.Match(message, @"^Cannot parse argument '(.*)' for option '(.*)' as expected type '(.*)'\.$");
        if (!m.Success) return message;
        var type = m.Groups[3].Value;
        var wanted = type.Contains("Int") ? "a whole number" : type.Contains("Double") || type.Contains("Single") ? "a number" : "a value of another kind";
        return $"{m.Groups[2].Value} needs {wanted}, not '{m.Groups[1].Value}'";
    }
}

/// <summary>A command-line value that parses but makes no sense (exit 2).</summary>
public sealed class UsageException(string message) : DgToolsException(message);
