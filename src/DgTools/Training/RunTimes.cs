// Where an autotrain run's time goes and how far it is: the wall-time split (the "time outside the model step"
// measure), the time spent loading utterances, and the live countdown.
using System.Diagnostics;
using DgTools.Reporting;

namespace DgTools.Training;

/// <summary>Where the training loop's wall time goes.</summary>
internal sealed class RunTimes
{
    public Stopwatch Clock { get; } = Stopwatch.StartNew();
    public TimeSpan Steps, Validation, Saving;

    public string Describe(TimeSpan loading)
    {
        var total = Math.Max(1e-9, Clock.Elapsed.TotalSeconds);
        string P(TimeSpan t) => $"{100 * t.TotalSeconds / total:F1}%";
        var compute = Steps - loading;
        var other = Clock.Elapsed - Steps - Validation - Saving;
        return $"Time: {Clock.Elapsed:h\\:mm\\:ss} — model steps {P(compute)}, loading features {P(loading)}, " +
               $"validation {P(Validation)}, checkpoints and state {P(Saving)}, other {P(other)}.";
    }
}

/// <summary>Counts the time the trainer spends loading utterances (feature cache reads, normalisation).</summary>
internal sealed class TimedUtterances(IUtteranceSource inner) : IUtteranceSource
{
    private long _ticks;
    public TimeSpan LoadTime => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));
    public int Count => inner.Count;
    public int FramesOf(int index) => inner.FramesOf(index);
    public bool IsReplay(int index) => inner.IsReplay(index);

    public Utterance Load(int index)
    {
        var start = Stopwatch.GetTimestamp();
        var u = inner.Load(index);
        Interlocked.Add(ref _ticks, Stopwatch.GetElapsedTime(start).Ticks);
        return u;
    }
}

/// <summary>The training countdown: samples per second since this run (re)started, the ETA, and the mean loss since
/// the last validation.</summary>
internal sealed class LoopProgress(long startSamples, long total)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private double _lossSum;
    private int _lossCount;

    public ProgressSnapshot After(StepResult step, long seen)
    {
        if (!step.Skipped) { _lossSum += step.Loss; _lossCount++; }
        var rate = (seen - startSamples) / Math.Max(1e-9, _clock.Elapsed.TotalSeconds);
        var remaining = Math.Max(0, total - seen);
        return new ProgressSnapshot("training", Math.Min(seen, total), total, "samples", new Dictionary<string, string>
        {
            ["loss"] = step.Loss.ToString("F3"),
            ["samples/s"] = rate.ToString("F1"),
            ["ETA"] = Autotrain.Eta(remaining / Math.Max(1e-9, rate)),
        });
    }

    /// <summary>The mean loss of the steps since the last call (null: none counted), and start counting anew.</summary>
    public double? TakeMeanLoss()
    {
        double? mean = _lossCount > 0 ? _lossSum / _lossCount : null;
        (_lossSum, _lossCount) = (0, 0);
        return mean;
    }
}
