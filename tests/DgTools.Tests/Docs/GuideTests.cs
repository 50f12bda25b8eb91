// docs/guide.md is run, not just read: every ```sh block of the walk-through (sections 1–6, up to "## 7.") runs in
// order in one bash session, with `dgtools` the program this build made, from a scratch folder that has the
// repository's models/ and demo/ and ../shared beside it as a clone does. The trained model must really beat the general one on the validation part.
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using DgTools.Tests.TestSupport;
using Xunit;

namespace DgTools.Tests.Docs;

[Trait("Tier", "Slow")]   // trains for real: the full suite only
public class GuideTests
{
    [FsddFact]
    public void The_guides_commands_run_in_order_and_the_trained_model_has_a_lower_wer()
    {
        var guide = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "guide.md"));
        var walkThrough = guide.IndexOf("\n## 7.", StringComparison.Ordinal);
        if (walkThrough > 0) guide = guide[..walkThrough];
        var blocks = Regex.Matches(guide, @"```sh\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
        Assert.True(blocks.Count >= 6, $"docs/guide.md has {blocks.Count} sh blocks; the walk-through needs its commands in ```sh blocks");

        using var dir = new TempDirectory();
        var work = dir.Combine("work");
        Directory.CreateDirectory(work);
        File.CreateSymbolicLink(dir.Combine("shared"), RepoPaths.Shared);
        File.CreateSymbolicLink(Path.Combine(work, "models"), Path.Combine(RepoPaths.Root, "models"));
        File.CreateSymbolicLink(Path.Combine(work, "demo"), Path.Combine(RepoPaths.Root, "demo"));

        var script = "set -euo pipefail\n" +
                     $"dgtools() {{ \"{Program}\" \"$@\"; }}\n" +
                     string.Join("\n", blocks) +
                     "\ndgtools evaluate general-en.dg general-en.last.dg --json > final.json\n";
        var (code, output) = Bash(script, work);
        Assert.True(code == 0, $"the guide's commands failed (exit {code}):\n{output}");

        using var final = JsonDocument.Parse(File.ReadAllText(Path.Combine(work, "final.json")));
        var wers = final.RootElement.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("wer").GetDouble()).ToList();
        Assert.True(wers[1] < wers[0], $"training on the digits did not lower the WER: {wers[0]:P1} -> {wers[1]:P1}\n{output}");
        Assert.True(File.Exists(Path.Combine(work, "digits_en__1_deployable.dg")), output);
        Assert.True(File.Exists(Path.Combine(work, "report", "report.md")), output);
        Assert.Contains("Created digits_en__1_deployable.dg.", output);
    }

    private static string Program => Path.Combine(RepoPaths.Root, "src", "DgTools.Cli", "bin", "Release", "net10.0", "linux-x64", "dgtools");

    private static (int Code, string Output) Bash(string script, string workDir)
    {
        var start = new ProcessStartInfo("bash", ["-c", script])
        {
            WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["DOTNET_GCgen0size"] = "0x10000000";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }
}
