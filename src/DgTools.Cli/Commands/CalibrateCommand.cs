using System.CommandLine;
using DgTools.Cli.Rendering;
using DgTools.Evaluation;
using DgTools.Model;
using DgTools.Runtime;

namespace DgTools.Cli.Commands;

public static class CalibrateCommand
{
    public static Command Create(CliEnvironment env)
    {
        var model = new Argument<string>("MODEL") { Description = "The .dg model whose word confidences to calibrate." };
        var locations = new Option<string?>("--dataset-locations")
        {
            Description = "Transcribed data to fit on (/dgtraining:A, a directory, or a list file); default: every data set of the language.",
        };
        var split = new Option<string>("--split") { Description = "validate, train or all.", DefaultValueFactory = _ => "validate" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the calibrated model here (default: update MODEL in place)." };
        var balance = new Option<bool>("--balance-sets")
        {
            Description = "Weigh every data set the same in the fit, however many words it has (for a mix of sets of different difficulty).",
        };
        var runtime = RuntimeOptionFlags.Create();
        var command = new Command("calibrate",
            "Fit the model's word-confidence map on transcribed data (its validation split) and store it in the model.")
        {
            model, locations, split, output, balance,
        };
        runtime.AddTo(command);
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
            var path = env.ResolvePath(parse.GetValue(model)!);
            var loaded = ModelFile.Read(path, ModelArchitecture.ExpectedShapes);
            var reporter = new ConsoleReporter(env);
            var options = new EvaluationOptions
            {
                Split = chosenSplit,
                DatasetLocations = parse.GetValue(locations),
                Device = runtime.Resolve(parse, env).Apply(),
            };
            var utterances = ModelEvaluation.SelectUtterances(env.Resources, loaded.Metadata.Language, options, reporter);
            var source = $"{splitName} split of {parse.GetValue(locations) ?? "the " + loaded.Metadata.Language + " data sets"}";
            var (calibrated, result) = ModelCalibration.Run(path, loaded, utterances, options, source, reporter, parse.GetValue(balance));
            var target = parse.GetValue(output) is { } o ? env.ResolvePath(o) : path;
            ModelFile.Write(target, calibrated);
            reporter.Info($"Before: {ConfidenceFitting.Describe(result.Before)}.");
            reporter.Info($"After (calibrated, {ConfidenceFitting.Folds}-fold cross-validated): {ConfidenceFitting.Describe(result.CrossValidated)}.");
            reporter.Info($"Calibrated model: {target}");
            return CliApp.Ok;
        });
        return command;
    }
}
