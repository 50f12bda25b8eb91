namespace DgTools.Audio;

/// <summary>How audio becomes model input: Kaldi-compatible log-mel filterbank at 16 kHz, optionally
/// with the speech-embedding stream. Stored in every .dg.</summary>
public sealed record FeatureConfig
{
    public int SampleRate { get; init; } = 16000;
    public int NumMelBins { get; init; } = 80;
    public double FrameLengthMs { get; init; } = 25.0;
    public double FrameShiftMs { get; init; } = 10.0;
    public double Dither { get; init; } = 0.0;
    /// <summary>"utterance": per-utterance mean/variance normalisation of each mel bin.</summary>
    public string Normalization { get; init; } = "utterance";
    /// <summary>
    /// True: each frame also carries the 96-d speech_embedding stream (a network trained on real speech, weights in the
    /// model's .dg; Model/FeatureFrontEnd.cs) after the mel bins. The stream is not normalised. Not written when false.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool SpeechEmbedding { get; init; }

    /// <summary>
    /// With SpeechEmbedding: the frame carries the stream's input instead of its vectors — the 32-band melspectrogram
    /// the speech_embedding network reads (scaled x / 10 + 2) — because the model runs that network itself so that
    /// training can tune it (ModelConfig.SpeechEmbeddingTrainable). Not written when false.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool SpeechEmbeddingMelspectrogram { get; init; }
}
