// SIGINT and SIGTERM to a real `dgtools autotrain` process: the run finishes its step, saves its resume state,
// removes its lock and temp files, prints one line saying how to resume, and exits 130 / 143; the same command then
// resumes. A second Ctrl-C ends the process at once.
using System.Runtime.InteropServices;
using DgTools.Data;
using DgTools.Tests.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace DgTools.Tests.Reliability;

public class InterruptionTests(ITestOutputHelper output)
{
    private const int SIGINT = 2, SIGTERM = 15;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private static readonly string[] Args = ["autotrain", "m.dg", "--revisit-count", "40", "--validate-every", "5", "--threads", "1", "--seed", "5"];

    /// <summary>Starts autotrain and waits until it has trained past its first validation.</summary>
    private static DgtoolsProcess StartTraining(string work, string res)
    {
        var run = DgtoolsProcess.Start(work, res, Args);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!run.HasExited && !run.Output.Contains("samples remaining:") && waited.Elapsed < TimeSpan.FromMinutes(3)) Thread.Sleep(20);
        Assert.False(run.HasExited, "the run ended before it could be interrupted:\n" + run.Output);
        return run;
    }

    [FsddFact]
    public void SIGINT_and_SIGTERM_save_the_run_say_how_to_resume_and_leave_nothing_behind()
    {
        using var dir = new TempDirectory("dgtools-signal");
        var (work, res) = KillNineHarness.Prepare(dir.Path);
        var resumeLine = new System.Text.RegularExpressions.Regex(
            @"^interrupted at [\d,]+ of [\d,]+ samples; the run is saved and the same command resumes it: dgtools autotrain m\.dg --revisit-count 40 --validate-every 5 --threads 1 --seed 5$",
            System.Text.RegularExpressions.RegexOptions.Multiline);
        foreach (var (signal, name, code) in new[] { (SIGINT, "interrupt", 130), (SIGTERM, "SIGTERM", 143) })
        {
            using var run = StartTraining(work, res);
            Assert.Equal(0, kill(run.Id, signal));
            var exit = run.WaitForExit(TimeSpan.FromMinutes(1));
            output.WriteLine(run.Output);
            Assert.Equal(code, exit);
            Assert.Contains($"{name}: stopping after the current step and saving the run (Ctrl-C again exits at once)", run.Output);
            Assert.Single(resumeLine.Matches(run.Output));
            Assert.DoesNotContain("error:", run.Output);
            Assert.False(File.Exists(Path.Combine(res, ".train_meta", "autotrain.lock")));
            Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp", SearchOption.AllDirectories));
            Assert.False(File.Exists(Path.Combine(work, "m.last.dg")));
            Assert.Single(Directory.GetFiles(Path.Combine(res, ".train_meta", "runs"), "run.json", SearchOption.AllDirectories));
        }

        // The same command resumes where the second interruption saved the run.
        using (var again = StartTraining(work, res))
        {
            Assert.Matches(@"Resuming the interrupted run at [\d,]+ of [\d,]+ samples", again.Output);
            Assert.Equal(0, kill(again.Id, SIGINT));
            Assert.Equal(130, again.WaitForExit(TimeSpan.FromMinutes(1)));
        }
    }

    [FsddFact]
    public void A_second_ctrl_c_exits_at_once()
    {
        // The tiny run can finish its step and save before the second signal arrives (it then says the run is saved,
        // as it would if it ignored the second Ctrl-C). So the attempt is made again, at most five times, and one
        // attempt must end at once: a run that ignored the second signal would say "saved" every time.
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var dir = new TempDirectory("dgtools-signal");
            var (work, res) = KillNineHarness.Prepare(dir.Path);
            using var run = StartTraining(work, res);
            Assert.Equal(0, kill(run.Id, SIGINT));
            // The second one once the first is handled (two pending SIGINTs would merge into one).
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (!run.Output.Contains("interrupt: stopping") && waited.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(1);
            var second = kill(run.Id, SIGINT);
            var exit = run.WaitForExit(TimeSpan.FromSeconds(20));
            output.WriteLine($"attempt {attempt}:\n{run.Output}");
            if (run.Output.Contains("the run is saved")) continue;   // stopped before the second signal (or ignored it)
            Assert.Equal(0, second);
            // Ended by the signal's default action (the shell's 128 + 2), before the run could print how to resume.
            Assert.Equal(130, exit);
            Assert.DoesNotContain("the run is saved", run.Output);
            // The lock it left is taken over by the next run (ConcurrencyTests covers the take-over).
            return;
        }
        Assert.Fail("in five attempts every run saved and stopped normally: the second Ctrl-C never made it exit at once");
    }
}
