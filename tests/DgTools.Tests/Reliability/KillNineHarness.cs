// The SIGKILL harness: runs `dgtools autotrain` as a child process on a tiny model and 20 spoken digits, kills it at
// random moments (and, every third trial, the moment a temp file appears once a resume state exists: mid-write of a
// checkpoint or of the resume state itself), checks after every kill that each model file is readable, then
// lets the next run resume. A final run completes; its model must equal, bit for bit, that of a run never killed.
using System.Diagnostics;
using DgTools.Model;
using DgTools.Tests.TestSupport;

namespace DgTools.Tests.Reliability;

/// <param name="NextRun">What the following run did: "resumed at N of M samples", "started over" or "finished".</param>
public sealed record KillTrial(int Number, string Mode, double KilledAfterSeconds, bool Killed, bool DuringWrite,
    int TemporariesLeft, int ModelFilesChecked, string NextRun = "", bool TookOverStaleLock = false);

/// <param name="Outputs">What every run printed, the final run's last.</param>
public sealed record KillNineReport(IReadOnlyList<KillTrial> Trials, double ReferenceSeconds, bool FinalEqualsReference,
    int TemporariesAtEnd, string FinalRun, IReadOnlyList<string> ReferenceModels, IReadOnlyList<string> FinalModels,
    IReadOnlyList<string> Outputs)
{
    public bool SameCheckpoints => ReferenceModels.SequenceEqual(FinalModels);
    public string FinalOutput => Outputs[^1];
}

public static class KillNineHarness
{
    public static readonly string[] Arguments =
        ["autotrain", "m.dg", "--revisit-count", "2", "--validate-every", "5", "--threads", "1", "--seed", "5", "--learning-rate", "3e-3"];

    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(5);

    /// <summary>A current directory with m.dg and a resource directory with 20 training and 10 validation digits.</summary>
    public static (string Work, string Res) Prepare(string root)
    {
        var work = Path.Combine(root, "work");
        var res = Path.Combine(root, "res");
        Directory.CreateDirectory(work);
        DigitsResources.Create(res, "jackson", [10, 11], [1]);
        ModelFile.Write(Path.Combine(work, "m.dg"), NewModel.Create("en", "m", NewModel.Preset("tiny"), seed: 5));
        return (work, res);
    }

    public static KillNineReport Run(string root, int trials, int seed, Action<string>? log = null)
    {
        var (refWork, refRes) = Prepare(Path.Combine(root, "reference"));
        var clock = Stopwatch.StartNew();
        var (code, refOutput) = DgtoolsProcess.Run(refWork, refRes, RunTimeout, Arguments);
        var referenceSeconds = clock.Elapsed.TotalSeconds;
        if (code != 0) throw new InvalidOperationException($"the uninterrupted run failed ({code}):\n{refOutput}");
        log?.Invoke($"uninterrupted run: {referenceSeconds:F1} s");

        var (work, res) = Prepare(Path.Combine(root, "killed"));
        var random = new Random(seed);
        var done = new List<KillTrial>();
        var outputs = new List<string>();
        // A trial is a real kill: a run that finishes before its moment does not count (resumed runs are short).
        for (var i = 1; done.Count(t => t.Killed) < trials && i <= 3 * trials; i++)
        {
            var present = Temporaries(work, res);
            var duringWrite = i % 3 == 2;
            var delay = (0.2 + 0.8 * random.NextDouble()) * referenceSeconds;
            using var run = DgtoolsProcess.Start(work, res, Arguments);
            var started = Stopwatch.StartNew();
            var sawWrite = false;
            while (!run.HasExited && started.Elapsed.TotalSeconds < (duringWrite ? 2 * referenceSeconds : delay))
            {
                if (duringWrite && HasSavedState(res) && Temporaries(work, res).Except(present).Any()) { sawWrite = true; break; }
                Thread.Sleep(duringWrite ? 1 : 20);
            }
            var killed = !run.HasExited;
            var at = started.Elapsed.TotalSeconds;
            if (killed) run.Kill();
            else run.WaitForExit(RunTimeout);
            outputs.Add(run.Output);
            var temporaries = CountTemporaries(work) + CountTemporaries(res);
            var trial = new KillTrial(done.Count + 1, duringWrite ? "mid-write (checkpoint or state)" : "at a random moment", at, killed, sawWrite && killed,
                temporaries, CheckModelFiles(work, res));
            done.Add(trial);
            log?.Invoke($"trial {i}: {trial.Mode}, {(killed ? "killed" : "finished")} after {at:F2} s, {temporaries} temp files left");
        }

        var (finalCode, finalOutput) = DgtoolsProcess.Run(work, res, RunTimeout, Arguments);
        outputs.Add(finalOutput);
        if (finalCode != 0) throw new InvalidOperationException($"the final run failed ({finalCode}):\n{finalOutput}");
        // Each trial's next run is the following trial's process (or the final run).
        for (var i = 0; i < done.Count; i++)
            done[i] = done[i] with { NextRun = HowItBegan(outputs[i + 1]), TookOverStaleLock = outputs[i + 1].Contains("taking over a stale lock") };

        var reference = ModelFile.Read(Path.Combine(refWork, "m.last.dg"));
        var final = ModelFile.Read(Path.Combine(work, "m.last.dg"));
        var equal = reference.Tensors.Keys.Order().SequenceEqual(final.Tensors.Keys.Order())
                    && reference.Tensors.All(t => t.Value.Data.AsSpan().SequenceEqual(final.Tensors[t.Key].Data))
                    && reference.Metadata.Provenance.SamplesTrained == final.Metadata.Provenance.SamplesTrained;
        return new KillNineReport(done, referenceSeconds, equal, CountTemporaries(work) + CountTemporaries(res),
            HowItBegan(finalOutput), ModelNames(refWork).ToList(), ModelNames(work).ToList(), outputs);
    }

    private static string HowItBegan(string output)
    {
        var resume = output.Split('\n').FirstOrDefault(l => l.Contains("Resuming the interrupted run at "));
        if (resume is not null)
        {
            var at = resume.IndexOf("at ", StringComparison.Ordinal) + 3;
            return "resumed at " + resume[at..].Split(" (")[0].Trim();
        }
        return output.Contains("Validation accuracy before training (greedy") ? "started over" : KilledEarly;
    }

    public const string KilledEarly = "killed again before training began";

    private static bool HasSavedState(string res)
    {
        var runs = Path.Combine(res, ".train_meta", "runs");
        try { return Directory.Exists(runs) && Directory.EnumerateFiles(runs, "run.json", SearchOption.AllDirectories).Any(); }
        catch (DirectoryNotFoundException) { return false; }
    }

    private static IEnumerable<string> ModelNames(string dir) =>
        Directory.GetFiles(dir, "*.dg").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    /// <summary>Temp files being written (or left) in the output directory and the resume state.</summary>
    private static List<string> Temporaries(string work, string res)
    {
        try
        {
            var found = Directory.EnumerateFiles(work, ".*.tmp").ToList();
            var meta = Path.Combine(res, ".train_meta");
            if (Directory.Exists(meta)) found.AddRange(Directory.EnumerateFiles(meta, ".*.tmp", SearchOption.AllDirectories));
            return found;
        }
        catch (DirectoryNotFoundException) { return []; } // a folder vanished mid-walk (the run dir is deleted at the end)
    }

    public static int CountTemporaries(string dir) =>
        Directory.Exists(dir) ? Directory.EnumerateFiles(dir, "*.tmp", SearchOption.AllDirectories).Count() : 0;

    /// <summary>Every model file and saved trainer state must read back whole; returns how many were read.</summary>
    private static int CheckModelFiles(string work, string res)
    {
        var files = Directory.GetFiles(work, "*.dg").ToList();
        var runs = Path.Combine(res, ".train_meta", "runs");
        if (Directory.Exists(runs)) files.AddRange(Directory.GetFiles(runs, "*.dgstate", SearchOption.AllDirectories));
        foreach (var f in files) ModelFile.Read(f); // throws ModelFileError on a partial file
        return files.Count;
    }
}
