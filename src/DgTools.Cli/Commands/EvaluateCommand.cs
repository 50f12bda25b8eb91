using System.CommandLine;
using DgTools.Cli.Rendering;
using DgTools.Evaluation;
using DgTools.Model;
using DgTools.Runtime;

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
        var split = new Option<string>("--split") { Description = "validate, train or all.", DefaultValueFactory = _ => "validate" };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON." };
        var report = new Option<string?>("--report") { Description = "Also write a Markdown report with plots into this directory." };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => "auto" };
        var decoding = DecodingOptionFlags.Create();
        var command = new Command("evaluate",
            "Compare models on the same utterances: WER, CER, errors by kind, real-time factor and recall of added words.")
        {
            models, locations, split, json, report, device,
        };
        decoding.AddTo(command);
        command.SetAction(parse =>
        {
            var splitName = parse.GetValue(split)!;
            var chosenSplit = splitName switch
            {
                "validate" => EvaluationSplit.Validate,
                "train" => EvaluationSplit.Train,
                "all" => EvaluationSplit.All,
                _ => throw new UsageException($"--split must be validate, train or all, not '{splitName}'"),
            };
            var loaded = parse.GetValue(models)!
                .Select(m => (Path: m, Model: ModelFiles.Read(env, env.ResolvePath(m))))
                .ToList();
            // Progress goes to stderr when stdout carries JSON.
            var reporter = new ConsoleReporter(parse.GetValue(json) ? env with { Out = env.Err } : env);
            var options = new EvaluationOptions
            {
                Split = chosenSplit,
                DatasetLocations = parse.GetValue(locations),
                AdjustDecoding = stored => decoding.Read(parse, stored),
                Device = ComputeDevice.Resolve(parse.GetValue(device)!),
                Keywords = decoding.KeywordSpecs(parse),
            };
            var utterances = ModelEvaluation.SelectUtterances(env.Resources, loaded[0].Model.Metadata.Language, options, reporter);
            var result = ModelEvaluation.Run(loaded, utterances, options, reporter);
            env.Out.Write(parse.GetValue(json) ? result.ToJson() + "\n" : result.ToTable());
            if (parse.GetValue(report) is { } dir)
            {
                var written = EvaluationReportWriter.Write(result, env.ResolvePath(dir));
                reporter.Info($"Report written to {Path.GetDirectoryName(written[^1])}");
            }
            return CliApp.Ok;
        });
        return command;
    }
}
