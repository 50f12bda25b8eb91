// Log-posteriors of a whole recording from a .dg model. Features are computed and normalised over the whole file
// (as training does per utterance), then the model runs on 30 s chunks with 2 s of context on each side, keeping
// each chunk's central outputs: an hour never has to pass through the attention layers at once.
using DgTools.Audio;
using DgTools.Model;
using DgTools.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace DgTools.Alignment;

public sealed class ModelPosteriorSource : IPosteriorSource, IDisposable
{
    private readonly ConformerCtc _model;
    private readonly FeatureConfig _features;
    private readonly FbankExtractor _extractor;
    private readonly Device _device;
    private readonly int _chunkFrames;
    private readonly int _contextFrames;

    /// <param name="chunkSeconds">Audio per model call (rounded to whole output frames).</param>
    /// <param name="contextSeconds">Extra audio on each side of a chunk whose outputs are discarded.</param>
    public ModelPosteriorSource(DgModel file, string? path = null, Device? device = null, double chunkSeconds = 30,
        double contextSeconds = 2)
    {
        _model = ConformerCtc.FromFile(file, path);
        _device = device ?? CPU;
        _model.to(_device);
        _model.eval();
        _features = file.Metadata.Features;
        _extractor = new FbankExtractor(_features);
        ModelId = file.Metadata.Uuid.ToString();
        Alphabet = Alphabet.For(file.Metadata.Language);
        var config = file.Metadata.Architecture;
        FeatureFramesPerOutput = config.Subsampling / config.HeadUpsampling;
        var featureFramesPerSecond = 1000.0 / _features.FrameShiftMs;
        // Chunk and context are whole multiples of the subsampling, so output frames line up across chunks.
        var unit = config.Subsampling;
        _chunkFrames = Math.Max(unit, (int)(chunkSeconds * featureFramesPerSecond) / unit * unit);
        _contextFrames = (int)(contextSeconds * featureFramesPerSecond) / unit * unit;
        FrameSeconds = _features.FrameShiftMs / 1000.0 * FeatureFramesPerOutput;
    }

    public string ModelId { get; }
    public Alphabet Alphabet { get; }
    public double FrameSeconds { get; }
    private double FeatureFramesPerOutput { get; }

    public LogPosteriors Compute(string audioPath) =>
        Compute(AudioDecoder.Load(audioPath, _features.SampleRate));

    public LogPosteriors Compute(float[] samples)
    {
        var features = _extractor.Compute(samples).Normalized(_features);
        var units = _model.Config.NumUnits;
        var output = new List<float>();
        for (var start = 0; start < features.Frames; start += _chunkFrames)
        {
            var from = Math.Max(0, start - _contextFrames);
            var to = Math.Min(features.Frames, start + _chunkFrames + _contextFrames);
            var logProbs = Run(features, from, to);
            var outputs = logProbs.Length / units;
            var skip = (int)Math.Round((start - from) / FeatureFramesPerOutput);
            var keep = start + _chunkFrames >= features.Frames
                ? outputs - skip
                : (int)Math.Round(_chunkFrames / FeatureFramesPerOutput);
            keep = Math.Clamp(keep, 0, outputs - skip);
            output.AddRange(logProbs.AsSpan(skip * units, keep * units));
        }
        return new LogPosteriors([.. output], units, FrameSeconds);
    }

    private float[] Run(FeatureMatrix features, int from, int to)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var bins = features.Bins;
        var slice = features.Data.AsSpan(from * bins, (to - from) * bins).ToArray();
        var input = tensor(slice, [1, to - from, bins], ScalarType.Float32).to(_device);
        var lengths = tensor(new long[] { to - from }, ScalarType.Int64).to(_device);
        var (logProbs, outLengths) = _model.call(input, lengths);
        var valid = (int)outLengths.cpu().data<long>()[0];
        return logProbs[0, ..valid].cpu().contiguous().data<float>().ToArray();
    }

    public void Dispose() => _model.Dispose();
}
