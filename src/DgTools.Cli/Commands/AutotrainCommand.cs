using System.CommandLine;

namespace DgTools.Cli.Commands;

public static class AutotrainCommand
{
    public static Command Create(CliEnvironment env)
    {
        var model = new Argument<string>("MODEL") { Description = "The trainable .dg model to start from." };
        var topOff = new Option<bool>("--top-off") { Description = "Skip adding new vocabulary words; revisit samples 10 times by default." };
        var revisit = new Option<int?>("--revisit-count") { Description = "Times each training sample is revisited (default 20; 10 with --top-off)." };
        var locations = new Option<string?>("--dataset-locations")
        {
            Description = "A data set (/dgtraining:A, /dgtraining/en:A, a directory) or a list file such as datasets.lst.",
        };
        var command = new Command("autotrain", "Train a model on the data sets in the resource directory.")
        {
            model, topOff, revisit, locations,
        };
        command.SetAction(int (parse) =>
        {
            if (parse.GetValue(revisit) is < 1) throw new UsageException("--revisit-count must be at least 1");
            throw new DgToolsException("autotrain is not built yet in this version");
        });
        return command;
    }
}
