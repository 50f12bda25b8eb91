namespace DgTools.Audio;

/// <summary>How audio becomes model input: Kaldi-compatible log-mel filterbank at 16 kHz. Stored in every .dg.</summary>
public sealed record FeatureConfig
{
    public int SampleRate { get; init; } = 16000;
    public int NumMelBins { get; init; } = 80;
    public double FrameLengthMs { get; init; } = 25.0;
    public double FrameShiftMs { get; init; } = 10.0;
    public double Dither { get; init; } = 0.0;
    /// <summary>"utterance": per-utterance mean/variance normalisation of each mel bin.</summary>
    public string Normalization { get; init; } = "utterance";
}
