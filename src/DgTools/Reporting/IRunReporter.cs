// How library code talks to the person running it. The CLI renders these (Spectre.Console on a terminal, plain
// timestamped lines otherwise); tests collect them. Library code never writes to the console itself.
namespace DgTools.Reporting;

public interface IRunReporter
{
    void Info(string line);

    /// <summary>Something was skipped or ignored but the run goes on (a broken file, a conflicting keep list).</summary>
    void Warning(string line);

    /// <summary>A live status (training countdown, extraction progress). Cheap to call often.</summary>
    void Progress(ProgressSnapshot snapshot);
}

/// <param name="Task">What is running, e.g. "training" or "features".</param>
/// <param name="Done">Units done so far.</param>
/// <param name="Total">Units in all (0 when unknown).</param>
/// <param name="Unit">"samples", "files", ...</param>
/// <param name="Fields">Extra named values to show (loss, accuracy, samples/s).</param>
public sealed record ProgressSnapshot(
    string Task, long Done, long Total, string Unit, IReadOnlyDictionary<string, string>? Fields = null)
{
    public long Remaining => Math.Max(0, Total - Done);
}

/// <summary>Collects everything; for tests and for callers that want no output.</summary>
public sealed class RecordingReporter : IRunReporter
{
    private readonly object _gate = new();
    public List<string> Infos { get; } = [];
    public List<string> Warnings { get; } = [];
    public List<ProgressSnapshot> Snapshots { get; } = [];

    public void Info(string line) { lock (_gate) Infos.Add(line); }
    public void Warning(string line) { lock (_gate) Warnings.Add(line); }
    public void Progress(ProgressSnapshot snapshot) { lock (_gate) Snapshots.Add(snapshot); }
}
