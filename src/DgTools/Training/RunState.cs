// The run state that makes autotrain resumable: progress facts kept beside the trainer's own state.
using System.Text.Json;
using DgTools.Model;
using DgTools.Reporting;

namespace DgTools.Training;

/// <summary>What autotrain keeps besides the trainer state: progress facts that must survive a crash.</summary>
public sealed record RunState(
    string DataFingerprint,
    IReadOnlyList<CheckpointEntry> Checkpoints,
    IReadOnlyList<HistoryPoint> History,
    double InitialAccuracy,
    double? InitialGeneral)
{
    public const int Version = 1;
    private const string StateFile = "run.json", TrainerFile = "trainer.dgstate";

    private sealed record Stored(int Version, RunState Run);

    public void Save(string runDir, Trainer trainer, ModelMetadata metadata)
    {
        Directory.CreateDirectory(runDir);
        // Trainer first, then the run facts: a crash between the two leaves facts one save behind, which TryResume
        // detects by the sample counts disagreeing and then trusts the trainer file (checkpoint names are rewritten).
        TrainerStateFile.Write(Path.Combine(runDir, TrainerFile), trainer.CaptureState(), metadata);
        AtomicFile.WriteAllText(Path.Combine(runDir, StateFile), JsonSerializer.Serialize(new Stored(Version, this), ModelMetadata.Json));
    }

    /// <summary>
    /// Takes over the saved state of the same recipe run elsewhere (another machine, a state carried in git) when this
    /// run has none of its own: copies it into <paramref name="runDir"/>, where TryResume checks it like its own
    /// (same seed, same training data, else starting over with a warning).
    /// </summary>
    public static void Adopt(string carriedDir, string runDir, IRunReporter reporter)
    {
        if (HasState(runDir)) return;
        if (!HasState(carriedDir)) throw new DatasetError($"no saved run state ({StateFile} and {TrainerFile}) in the --resume-state directory", carriedDir);
        Directory.CreateDirectory(runDir);
        // run.json last: together with the trainer state it marks a complete state.
        AtomicFile.Copy(Path.Combine(carriedDir, TrainerFile), Path.Combine(runDir, TrainerFile));
        AtomicFile.Copy(Path.Combine(carriedDir, StateFile), Path.Combine(runDir, StateFile));
        reporter.Info($"Took over the saved run state in {carriedDir}.");
    }

    private static bool HasState(string dir) => File.Exists(Path.Combine(dir, StateFile)) && File.Exists(Path.Combine(dir, TrainerFile));

    /// <summary>The saved state of "the same command", restored into <paramref name="trainer"/>; null when there is none
    /// (or --restart, or the data changed).</summary>
    public static RunState? TryResume(string runDir, AutotrainOptions o, string fingerprint, Trainer trainer, IRunReporter reporter)
    {
        var statePath = Path.Combine(runDir, StateFile);
        var trainerPath = Path.Combine(runDir, TrainerFile);
        if (o.Restart || !HasState(runDir)) return null;
        Stored? stored;
        try { stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(statePath), ModelMetadata.Json); }
        catch (JsonException) { stored = null; }
        if (stored is null || stored.Version > Version)
        {
            reporter.Warning($"the saved state of an interrupted run is unreadable; starting over ({statePath})");
            return null;
        }
        if (stored.Run.DataFingerprint != fingerprint)
        {
            reporter.Warning("the training data changed since the interrupted run; starting over");
            return null;
        }
        try
        {
            var (state, _) = TrainerStateFile.Read(trainerPath);
            trainer.RestoreState(state);
        }
        catch (ModelFileError e)
        {
            reporter.Warning($"the saved trainer state is unusable ({e.Message}); starting over");
            return null;
        }
        return stored.Run;
    }
}
