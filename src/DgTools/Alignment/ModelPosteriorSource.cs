// Log-posteriors of whole recordings from a .dg model, for alignment (`check`, long recordings in training): the
// model's InferenceEngine, which runs a long recording in 30 s pieces with 2 s of context on each side.
using DgTools.Decoding;
using DgTools.Inference;
using DgTools.Model;
using DgTools.Text;
using static TorchSharp.torch;

namespace DgTools.Alignment;

public sealed class ModelPosteriorSource : IPosteriorSource, IDisposable
{
    private readonly InferenceEngine _engine;

    /// <param name="chunkSeconds">Audio per model call (rounded to whole output frames).</param>
    /// <param name="contextSeconds">Extra audio on each side of a chunk whose outputs are discarded.</param>
    public ModelPosteriorSource(DgModel file, string? path = null, Device? device = null, double chunkSeconds = 30,
        double contextSeconds = 2)
    {
        _engine = new InferenceEngine(file, path, device, new InferenceOptions(chunkSeconds, contextSeconds));
        ModelId = file.Metadata.Uuid.ToString();
        Alphabet = Alphabet.For(file.Metadata.Language);
    }

    public string ModelId { get; }
    public Alphabet Alphabet { get; }
    public double FrameSeconds => _engine.FrameSeconds;

    public CtcPosteriors Compute(string audioPath) => _engine.Posteriors(audioPath);

    public CtcPosteriors Compute(float[] samples) => _engine.Posteriors(samples);

    public void Dispose() => _engine.Dispose();
}
