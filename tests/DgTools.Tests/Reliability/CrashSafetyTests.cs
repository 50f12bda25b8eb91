// Crash safety of autotrain: SIGKILL at random moments and mid-write (KillNineHarness; 3 trials in CI,
// DGTOOLS_KILL_TRIALS=N for the full run recorded in docs/reliability.md), and a disk that fills up during a
// checkpoint write (a 3.3 MB tmpfs as the output directory; needs root to mount).
using DgTools.Model;
using DgTools.Tests.Data;
using DgTools.Tests.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace DgTools.Tests.Reliability;

[Trait("Tier", "Slow")]   // training runs, processes or timed trials: the full suite only (not scripts/test.sh --fast)
public class CrashSafetyTests(ITestOutputHelper output)
{
    [FsddFact]
    public void Killed_runs_resume_to_the_model_of_an_uninterrupted_run()
    {
        var trials = int.TryParse(Environment.GetEnvironmentVariable("DGTOOLS_KILL_TRIALS"), out var n) && n > 0 ? n : 3;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("DGTOOLS_KILL_SEED"), out var s) ? s : 1;
        using var dir = new TempDirectory("dgtools-kill9");
        var report = KillNineHarness.Run(dir.Path, trials, seed, output.WriteLine);
        foreach (var t in report.Trials)
            output.WriteLine($"| {t.Number} | {t.Mode} | {(t.Killed ? $"killed at {t.KilledAfterSeconds:F2} s" : "finished first")}" +
                             $"{(t.DuringWrite ? " (temp file being written)" : "")} | {t.TemporariesLeft} | {t.ModelFilesChecked} | " +
                             $"{t.NextRun}{(t.TookOverStaleLock ? ", took over the stale lock" : "")} |");
        output.WriteLine($"final run: {report.FinalRun}; final model equals the uninterrupted run's: {report.FinalEqualsReference}; same checkpoint files: {report.SameCheckpoints}");

        Assert.Equal(trials, report.Trials.Count(t => t.Killed));
        Assert.NotEqual(KillNineHarness.KilledEarly, report.FinalRun);
        Assert.Contains(report.Trials, t => t.NextRun.StartsWith("resumed at "));
        Assert.All(report.Trials.Where(t => t.DuringWrite), t => Assert.True(t.NextRun.StartsWith("resumed at ") || t.NextRun == KillNineHarness.KilledEarly, t.NextRun));
        Assert.Equal(0, report.TemporariesAtEnd);
        Assert.True(report.FinalEqualsReference, "the final model differs from the uninterrupted run's\n" + report.FinalOutput);
        Assert.True(report.SameCheckpoints, "the checkpoint files differ from the uninterrupted run's: " +
            $"{string.Join(", ", report.ReferenceModels)} against {string.Join(", ", report.FinalModels)}\n" + string.Join("\n---\n", report.Outputs));
    }

    [FsddTmpfsFact]
    public void A_full_disk_during_a_checkpoint_write_keeps_the_previous_checkpoint_and_says_so()
    {
        using var dir = new TempDirectory("dgtools-diskfull");
        var (work, res) = KillNineHarness.Prepare(dir.Path);
        var small = dir.Combine("small");
        Tmpfs.Mount(small, "size=3300k");
        try
        {
            // m.dg and two checkpoints (~0.96 MB each) fit in 3.3 MB (room for two models is checked before the run starts); the third does not.
            File.Copy(Path.Combine(work, "m.dg"), Path.Combine(small, "m.dg"));
            var result = CliRunner.Run(small, res, KillNineHarness.Arguments);
            output.WriteLine(result.Err);
            Assert.Equal(1, result.ExitCode);
            var error = Assert.Single(result.Err.Split('\n'), l => l.StartsWith("error: "));
            Assert.Matches(@"^error: disk full while writing m\.[a-z]+\.[\d.]+dg: it was not written, and files written before it are intact " +
                           @"\(free space, then run the same command again\) \(" + System.Text.RegularExpressions.Regex.Escape(small) + @"/m\.[a-z.\d]+dg\)$", error);
            Assert.Empty(Directory.GetFiles(small, "*.tmp"));
            var checkpoints = Directory.GetFiles(small, "m.*.dg");
            Assert.NotEmpty(checkpoints);
            foreach (var c in checkpoints) ModelFile.Read(c);
            // The resume state (on the roomy disk) survives: with space again, the same command resumes.
            Assert.True(Directory.GetFiles(Path.Combine(res, ".train_meta", "runs"), "run.json", SearchOption.AllDirectories).Length == 1);
        }
        finally
        {
            Tmpfs.Unmount(small);
        }
    }
}
