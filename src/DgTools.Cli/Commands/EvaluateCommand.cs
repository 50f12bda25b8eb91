using System.CommandLine;
using DgTools.Cli.Rendering;
using DgTools.Evaluation;
using DgTools.Model;

namespace DgTools.Cli.Commands;

public static class EvaluateCommand
{
    public static Command Create(CliEnvironment env)
    {
        var models = new Argument<string[]>("MODEL") { Description = "One or more .dg models to compare.", Arity = ArgumentArity.OneOrMore };
        var locations = new Option<string?>("--dataset-locations")
        {
            Description = "A data set (/dgtraining:A, /dgtraining/en:A, a directory) or a list file such as datasets.lst.",
        };
        var splitName = new Option<string>("--split") { Description = "validate, train or all.", DefaultValueFactory = _ => "validate" };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON." };
        var report = new Option<string?>("--report") { Description = "Also write a Markdown report with plots into this directory." };
        var wordEvidence = new Option<string?>("--word-evidence")
        {
            Description = "Also write every recognised word, judged right or wrong, with the evidence its confidence comes from (tab-separated) to this file.",
        };
        var runtime = RuntimeOptionFlags.Create();
        var decoding = DecodingOptionFlags.Create();
        var command = new Command("evaluate",
            "Compare models on the same utterances: WER, CER, errors by kind, real-time factor and recall of added words.")
        {
            models, locations, splitName, json, report, wordEvidence,
        };
        runtime.AddTo(command);
        decoding.AddTo(command);
        command.SetAction(parse =>
        {
            var split = EvaluationSplits.Parse(parse.GetValue(splitName)!);
            var loaded = parse.GetValue(models)!
                .Select(m => (Path: m, Model: ModelFiles.Read(env, env.ResolvePath(m))))
                .ToList();
            // Progress goes to stderr when stdout carries JSON.
            var reporter = new ConsoleReporter(parse.GetValue(json) ? env with { Out = env.Err } : env);
            var options = new EvaluationOptions
            {
                Split = split,
                DatasetLocations = parse.GetValue(locations),
                AdjustDecoding = stored => decoding.Read(parse, stored),
                Device = runtime.Resolve(parse, env).Apply(),
                Keywords = decoding.KeywordSpecs(parse),
            };
            var result = ModelEvaluation.Run(loaded, env.Resources, options, reporter);
            env.Out.Write(parse.GetValue(json) ? result.ToJson() + "\n" : result.ToTable());
            if (parse.GetValue(report) is { } dir)
            {
                var written = EvaluationReportWriter.Write(result, env.ResolvePath(dir));
                reporter.Info($"Report written to {Path.GetDirectoryName(written[^1])}");
            }
            if (parse.GetValue(wordEvidence) is { } table)
            {
                AtomicFile.WriteAllText(env.ResolvePath(table), WordEvidenceTable.Render(result));
                reporter.Info($"Word evidence written to {table}");
            }
            return CliApp.Ok;
        });
        return command;
    }
}
