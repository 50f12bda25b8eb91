using System.CommandLine;
using DgTools.Alignment;
using DgTools.Cli.Rendering;
using DgTools.Quality;

namespace DgTools.Cli.Commands;

public static class CheckCommand
{
    public static Command Create(CliEnvironment env)
    {
        var model = new Argument<string?>("MODEL")
        {
            Description = "The .dg model to align transcripts with (without one, only audio and text checks run).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var locations = new Option<string?>("--dataset-locations")
        {
            Description = "A data set (/dgtraining:A, /dgtraining/en:A, a directory) or a list file such as datasets.lst.",
        };
        var language = new Option<string>("--language") { Description = "Language of the data sets when no model is given.", DefaultValueFactory = _ => "en" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON instead of Markdown." };
        var report = new Option<string?>("--report") { Description = "Write the report to this file (JSON if it ends in .json) and print only the summary." };
        var runtime = RuntimeOptionFlags.Create();
        var command = new Command("check",
            "Data-quality report: transcripts that do not match their audio, wrong language, duplicates, clipping, silence, usable audio.")
        {
            model, locations, language, json, report,
        };
        runtime.AddTo(command);
        command.SetAction(parse =>
        {
            var modelPath = parse.GetValue(model) is { } m ? env.ResolvePath(m) : null;
            var options = new CheckOptions(modelPath, parse.GetValue(language)!, parse.GetValue(locations))
            {
                Device = runtime.Resolve(parse, env).Apply(),
            };
            var reporter = new ConsoleReporter(env);
            var result = DataQualityRun.Run(options, env.Resources, reporter);
            if (parse.GetValue(report) is { } file)
            {
                var path = env.ResolvePath(file);
                AtomicFile.WriteAllText(path, path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? result.ToJson() : result.ToMarkdown());
                reporter.Info($"{result.Summary}. Report: {path}");
            }
            else env.Out.Write(parse.GetValue(json) ? result.ToJson() : result.ToMarkdown());
            return CliApp.Ok;
        });
        return command;
    }
}
