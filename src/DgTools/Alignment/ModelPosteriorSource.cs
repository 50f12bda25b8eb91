// Log-posteriors of a whole recording from a .dg model. Features are normalised over the whole file (as training does
// per utterance), then the model runs on 30 s chunks with 2 s of context on each side, keeping each chunk's central
// outputs: an hour never has to pass through the attention layers at once. Memory stays near what an hour's samples,
// raw features and posteriors need (~230 + 115 + 10 MB) plus one chunk's activations: the features are extracted a
// minute at a time (the extractor's scratch grows with its input), each chunk is normalised into one reused input
// buffer, and outputs go straight into the posterior matrix.
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
    private readonly FeatureFrontEnd _frontEnd;
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
        _frontEnd = FeatureFrontEnd.For(file);
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
        var features = RawFeatures(samples);
        var (mean, scale) = _features.Normalization switch
        {
            "utterance" => features.UtteranceStatistics(_features.NumMelBins),
            "none" => (new double[features.Bins], Enumerable.Repeat(1.0, features.Bins).ToArray()),
            _ => throw new ConfigError($"unknown feature normalisation '{_features.Normalization}' (expected utterance or none)"),
        };
        var units = _model.Config.NumUnits;
        var output = new float[(ConformerCtc.OutputLength(features.Frames, _model.Config) + 2) * units];
        var written = 0;
        var input = new float[Math.Min(features.Frames, _chunkFrames + 2 * _contextFrames) * features.Bins];
        for (var start = 0; start < features.Frames; start += _chunkFrames)
        {
            var from = Math.Max(0, start - _contextFrames);
            var to = Math.Min(features.Frames, start + _chunkFrames + _contextFrames);
            Normalize(features, from, to, mean, scale, input);
            var skip = (int)Math.Round((start - from) / FeatureFramesPerOutput);
            var keep = start + _chunkFrames >= features.Frames
                ? int.MaxValue
                : (int)Math.Round(_chunkFrames / FeatureFramesPerOutput);
            written += Run(input, to - from, features.Bins, skip, keep, ref output, written);
        }
        if (written != output.Length) Array.Resize(ref output, written);
        return new LogPosteriors(output, units, FrameSeconds);
    }

    /// <summary>Raw log-mel features of the whole recording, extracted a minute of frames at a time. Frames only see
    /// their own window of samples, so the pieces join into exactly the features of the whole.</summary>
    internal FeatureMatrix RawFeatures(float[] samples)
    {
        // The speech-embedding stream runs over the whole recording in bounded chunks of its own.
        if (_frontEnd.Bins != _extractor.NumBins) return _frontEnd.Compute(samples);
        const int framesPerPiece = 6000;
        var frames = _extractor.FrameCount(samples.Length);
        var bins = _extractor.NumBins;
        var data = new float[(long)frames * bins];
        for (var first = 0; first < frames; first += framesPerPiece)
        {
            var count = Math.Min(framesPerPiece, frames - first);
            var from = first * _extractor.WindowShift;
            var length = (count - 1) * _extractor.WindowShift + _extractor.WindowSize;
            var piece = _extractor.Compute(samples.AsSpan(from, length));
            piece.Data.CopyTo(data, (long)first * bins);
        }
        return new FeatureMatrix(data, frames, bins);
    }

    private static void Normalize(FeatureMatrix features, int from, int to, double[] mean, double[] scale, float[] input)
    {
        var bins = features.Bins;
        for (var f = from; f < to; f++)
        {
            var row = features.Row(f);
            var target = input.AsSpan((f - from) * bins, bins);
            for (var b = 0; b < bins; b++) target[b] = (float)((row[b] - mean[b]) * scale[b]);
        }
    }

    /// <summary>Runs frames [0, frames) of <paramref name="input"/> through the model and copies output frames
    /// [skip, skip + keep) into <paramref name="output"/> at <paramref name="offset"/> values (grown if needed).
    /// Returns the number of values copied.</summary>
    private int Run(float[] input, int frames, int bins, int skip, int keep, ref float[] output, int offset)
    {
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        var units = _model.Config.NumUnits;
        using var whole = tensor(input, [1, input.Length / bins, bins], ScalarType.Float32);
        var x = whole.narrow(1, 0, frames).to(_device);
        var lengths = tensor(new long[] { frames }, ScalarType.Int64).to(_device);
        var (logProbs, outLengths) = _model.call(x, lengths);
        var valid = (int)outLengths.cpu().data<long>()[0];
        keep = Math.Clamp(Math.Min(keep, valid - skip), 0, Math.Max(0, valid - skip));
        if (keep == 0) return 0;
        var kept = logProbs[0, skip..(skip + keep)].cpu().contiguous();
        var count = keep * units;
        if (offset + count > output.Length) Array.Resize(ref output, offset + count);
        kept.data<float>().CopyTo(output, offset);
        return count;
    }

    public void Dispose()
    {
        _model.Dispose();
        _frontEnd.Dispose();
    }
}
