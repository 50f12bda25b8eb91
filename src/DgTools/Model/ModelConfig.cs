using System.Text.Json.Serialization;

namespace DgTools.Model;

/// <summary>
/// Architecture of the Conformer-CTC encoder. Immutable; stored in the .dg file's metadata. The defaults are the
/// size we train on 2 CPU cores (about 3 M parameters at 4× subsampling; see docs/recipe.md).
/// </summary>
public sealed record ModelConfig
{
    public int InputDim { get; init; } = 80;
    /// <summary>Output units including the CTC blank at index 0.</summary>
    public int NumUnits { get; init; } = 32;
    public int DModel { get; init; } = 144;
    public int NumLayers { get; init; } = 6;
    public int NumHeads { get; init; } = 4;
    public int FeedForwardDim { get; init; } = 576;
    public int ConvKernel { get; init; } = 15;
    /// <summary>Total time reduction of the front end (4 or 8).</summary>
    public int Subsampling { get; init; } = 4;
    public double Dropout { get; init; } = 0.1;

    /// <summary>Channels of the convolutional front end (first a full 3×3 convolution, then depthwise-separable ones).</summary>
    public int SubsamplingChannels { get; init; } = 128;

    /// <summary>
    /// Output frames the CTC head emits per encoder frame (1 or 2). With 8× subsampling and 2 here the encoder runs
    /// at 12.5 frames/s while CTC still sees 25 frames/s, enough for ~16 characters/s of speech.
    /// </summary>
    public int HeadUpsampling { get; init; } = 1;

    /// <summary>
    /// Width of the speech-embedding stream that follows the InputDim mel bins in every feature frame (0: none, 96:
    /// FeatureConfig.SpeechEmbedding). It is averaged to the encoder's frame rate, projected to DModel (zero-initialised,
    /// so a model extended with it starts out computing what it computed before) and added after the subsampling.
    /// Not written when 0, so models without the stream are stored exactly as before it existed.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int SpeechEmbeddingDim { get; init; }

    /// <summary>How the stream joins: null or "add" (a linear projection), "norm-add" (LayerNorm of each vector, then
    /// the projection). Not written when null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SpeechEmbeddingFusion { get; init; }

    /// <summary>
    /// With the stream: the model runs the speech_embedding network's 20 convolutions itself, as trainable parameters,
    /// on the 32 melspectrogram columns that follow the mel bins (FeatureConfig.SpeechEmbeddingMelspectrogram), so
    /// training tunes the front end (autotrain --tune-front-end). False: the stream's vectors come precomputed in the
    /// features and its weights are frozen. Not written when false.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool SpeechEmbeddingTrainable { get; init; }

    /// <summary>Columns of a feature frame: the mel bins and the stream (its vectors, or its melspectrogram when trainable).</summary>
    [JsonIgnore]
    public int FeatureColumns => InputDim + (SpeechEmbeddingDim == 0 ? 0
        : SpeechEmbeddingTrainable ? SpeechEmbedding.SpeechEmbeddingNetwork.MelBands : SpeechEmbeddingDim);

    /// <summary>CTC output frames per second for 10 ms input frames.</summary>
    [JsonIgnore]
    public double OutputFramesPerSecond => 100.0 * HeadUpsampling / Subsampling;

    /// <summary>Throws <see cref="ModelFileError"/> when the numbers cannot make a model.</summary>
    public void Validate()
    {
        if (Subsampling is not (2 or 4 or 8)) throw new ModelFileError($"subsampling must be 2, 4 or 8, not {Subsampling}");
        if (HeadUpsampling is not (1 or 2)) throw new ModelFileError($"head upsampling must be 1 or 2, not {HeadUpsampling}");
        if (DModel % NumHeads != 0 || (DModel / NumHeads) % 2 != 0)
            throw new ModelFileError($"model width {DModel} must split into {NumHeads} heads of even width");
        if (ConvKernel % 2 != 1) throw new ModelFileError($"convolution kernel must be odd, not {ConvKernel}");
        if (NumUnits < 2 || InputDim < 1 || NumLayers < 1 || FeedForwardDim < 1 || SubsamplingChannels < 1)
            throw new ModelFileError("model sizes must be positive and there must be at least one unit besides blank");
        if (Dropout is < 0 or >= 1) throw new ModelFileError($"dropout must be in [0, 1), not {Dropout}");
        if (SpeechEmbeddingDim is not (0 or 96)) throw new ModelFileError($"speech-embedding stream width must be 0 or 96, not {SpeechEmbeddingDim}");
        if (SpeechEmbeddingTrainable && SpeechEmbeddingDim == 0) throw new ModelFileError("a trainable speech-embedding front end needs the stream (width 96)");
        if (SpeechEmbeddingFusion is not (null or "add" or "norm-add"))
            throw new ModelFileError($"speech-embedding fusion must be add or norm-add, not '{SpeechEmbeddingFusion}'");
    }

    /// <summary>
    /// Padded input frames per inference batch (validation, evaluate, transcribe): small enough that the front end's
    /// first convolution output (frames/2 × bins/2 × channels floats, the largest tensor of a forward pass) stays well
    /// under glibc's 32 MB mmap ceiling. Above it, every batch maps fresh memory and faults it in page by page:
    /// 20,000-frame batches cost the demo's validation 4.4× the page faults and about twice the time.
    /// </summary>
    public int InferenceFramesPerBatch()
    {
        const long budget = 24L << 20;
        var bytesPerFrame = (InputDim + 1) / 2 * SubsamplingChannels * sizeof(float) / 2.0;
        return (int)Math.Max(100, budget / bytesPerFrame);
    }
}
