namespace DgTools.Training;

/// <summary>Per-step learning rate: linear warm-up from 0 to the peak, then cosine decay to a floor at the last step.</summary>
public sealed record LearningRateSchedule
{
    public double PeakLearningRate { get; init; } = 2e-3;
    public long WarmupSteps { get; init; } = 300;
    /// <summary>Steps of the whole run; past it the rate stays at the floor.</summary>
    public long TotalSteps { get; init; } = 10_000;
    /// <summary>The floor as a fraction of the peak.</summary>
    public double FinalFraction { get; init; } = 0.05;

    /// <summary>Rate for the update with 0-based index <paramref name="step"/>.</summary>
    public double RateAt(long step)
    {
        if (step < WarmupSteps) return PeakLearningRate * (step + 1) / WarmupSteps;
        var decaySteps = Math.Max(1, TotalSteps - WarmupSteps);
        var progress = Math.Min(1.0, (step - WarmupSteps) / (double)decaySteps);
        var floor = PeakLearningRate * FinalFraction;
        return floor + (PeakLearningRate - floor) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
