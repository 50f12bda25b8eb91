// The one way audio goes through a model: samples → the model's features (log-mel, plus the speech-embedding stream
// for models that have it: FeatureFrontEnd) → the normalisation the model's FeatureConfig names → pieces of at most ChunkSeconds with ContextSeconds of extra audio on each side → length-sorted batches with
// zero padding → the network in eval mode without gradients on its device → CtcPosteriors. transcribe, evaluate,
// check, long-recording alignment, validation during training and frame targets all run through here, so what the
// network says about the same audio is the same everywhere (InferenceEngineTests holds that).
//
// Recordings longer than a chunk are cut on feature frames, each piece run with its context and only its central
// outputs kept, so an hour never passes through the attention layers at once. Chunk and context are whole multiples
// of the subsampling, so output frames line up across pieces. Pieces of all inputs are batched together: evaluate
// runs hundreds of short files in a few dozen network calls.
using DgTools.Audio;
using DgTools.Decoding;
using DgTools.Model;
using DgTools.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DgTools.Inference;

/// <param name="ChunkSeconds">Audio per piece (without context); shorter inputs run whole.</param>
/// <param name="ContextSeconds">Extra audio on each side of a piece whose outputs are discarded.</param>
/// <param name="MaxFramesPerBatch">Padded feature frames per network call (batch size × longest piece); null: the
/// model's <see cref="ModelConfig.InferenceFramesPerBatch"/>. A piece longer than this runs alone.</param>
public sealed record InferenceOptions(double ChunkSeconds = 30, double ContextSeconds = 2, int? MaxFramesPerBatch = null)
{
    /// <summary>Largest number of pieces in one network call.</summary>
    public const int MaxPiecesPerBatch = 256;
}

public sealed class InferenceEngine : IDisposable
{
    private readonly ConformerCtc _network;
    private readonly bool _ownsNetwork;
    private readonly FeatureConfig? _features;
    private readonly FeatureFrontEnd? _frontEnd;
    private readonly FbankExtractor? _extractor;
    private readonly Device _device;
    private readonly int _chunkFrames;
    private readonly int _contextFrames;
    private readonly int _maxFramesPerBatch;
    private readonly double _featureFramesPerOutput;

    /// <summary>Loads the model's network onto <paramref name="device"/> (default CPU) for inference.</summary>
    /// <param name="path">The model file, for error messages.</param>
    public InferenceEngine(DgModel model, string? path = null, Device? device = null, InferenceOptions? options = null)
        : this(ConformerCtc.FromFile(model, path), ownsNetwork: true, model.Metadata, FeatureFrontEnd.For(model), device ?? CPU, options ?? new())
    {
        _units = new Lazy<CtcUnits>(() => ModelDecoding.ReadUnits(model, path));
        _network.to(_device);
        _network.eval();
    }

    private InferenceEngine(ConformerCtc network, bool ownsNetwork, ModelMetadata? metadata, FeatureFrontEnd? frontEnd, Device device,
        InferenceOptions options)
    {
        _network = network;
        _ownsNetwork = ownsNetwork;
        _device = device;
        _features = metadata?.Features;
        _frontEnd = frontEnd;
        _extractor = frontEnd is null ? null : new FbankExtractor(frontEnd.Config);
        var config = network.Config;
        _featureFramesPerOutput = config.Subsampling / (double)config.HeadUpsampling;
        FrameSeconds = _features is null
            ? 1 / config.OutputFramesPerSecond
            : _features.FrameShiftMs / 1000.0 * config.Subsampling / config.HeadUpsampling;
        var featureFramesPerSecond = 1000.0 / (_features?.FrameShiftMs ?? 10.0);
        var unit = config.Subsampling;
        _chunkFrames = Math.Max(unit, (int)(options.ChunkSeconds * featureFramesPerSecond) / unit * unit);
        _contextFrames = (int)(options.ContextSeconds * featureFramesPerSecond) / unit * unit;
        _maxFramesPerBatch = options.MaxFramesPerBatch ?? config.InferenceFramesPerBatch();
    }

    /// <summary>An engine over a network being trained (validation, frame targets): the network stays the caller's,
    /// runs where its weights are, and goes back to training mode after each pass. It runs on prepared features
    /// only (the IUtteranceSource overload of Posteriors).</summary>
    public static InferenceEngine Over(ConformerCtc network, ModelMetadata? metadata = null, InferenceOptions? options = null)
    {
        var device = network.parameters().FirstOrDefault()?.device ?? CPU;
        var engine = new InferenceEngine(network, ownsNetwork: false, metadata, frontEnd: null, device, options ?? new());
        if (metadata is not null) engine._units = new Lazy<CtcUnits>(() => CtcUnits.For(metadata.Units, metadata.Language));
        return engine;
    }

    private Lazy<CtcUnits>? _units;

    /// <summary>The output units as the model file lists them: the only units decoding spells with.</summary>
    public CtcUnits Units => _units?.Value ?? throw new InvalidOperationException("this engine has no model metadata (built over a bare network)");

    public int SampleRate => Features.SampleRate;

    /// <summary>Seconds per CTC output frame.</summary>
    public double FrameSeconds { get; }

    private FeatureConfig Features => _features ?? throw new InvalidOperationException("this engine has no feature settings (built over a bare network)");

    /// <summary>Decodes the file (any format AudioDecoder reads) and runs the model over it.</summary>
    public CtcPosteriors Posteriors(string audioPath) => Posteriors(AudioDecoder.Load(audioPath, SampleRate));

    /// <summary>The posteriors of one recording of any length (mono samples at <see cref="SampleRate"/>).</summary>
    public CtcPosteriors Posteriors(float[] samples) => Posteriors([samples])[0];

    /// <summary>The posteriors of every recording, in input order; all of them batched together.</summary>
    /// <param name="maxFramesPerBatch">Overrides <see cref="InferenceOptions.MaxFramesPerBatch"/> for this call.</param>
    public IReadOnlyList<CtcPosteriors> Posteriors(IReadOnlyList<float[]> audio, int? maxFramesPerBatch = null)
    {
        var inputs = new NormalizedInput[audio.Count];
        Parallel.For(0, audio.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => inputs[i] = Prepare(audio[i]));
        var results = new CtcPosteriors[audio.Count];
        Run(audio.Count, i => inputs[i].Raw.Frames, i => inputs[i], input => input, (i, _, p) => results[i] = p, maxFramesPerBatch);
        return results;
    }

    /// <summary>
    /// Runs prepared utterances (features already normalised, as <see cref="CachedUtterances"/> load them) and hands
    /// each one's posteriors to <paramref name="each"/> with its source index and the loaded utterance, as soon as
    /// they are complete (not in source order). Only one batch of utterances is in memory at a time.
    /// </summary>
    public void Posteriors(IUtteranceSource source, Action<int, Utterance, CtcPosteriors> each, int? maxFramesPerBatch = null) =>
        Run(source.Count, source.FramesOf, source.Load,
            u => new NormalizedInput(new FeatureMatrix(u.Features, u.Frames, u.FeatureDim == 0 ? _network.Config.FeatureColumns : u.FeatureDim), null, null),
            each, maxFramesPerBatch);

    /// <summary>Raw log-mel features of a whole recording, extracted a minute of frames at a time (the extractor's
    /// scratch grows with its input). Frames see only their own window of samples, so the pieces join into exactly
    /// the features of the whole.</summary>
    public FeatureMatrix RawFeatures(float[] samples)
    {
        var (frontEnd, extractor) = (_frontEnd, _extractor);
        if (frontEnd is null || extractor is null) throw new InvalidOperationException("this engine runs on prepared features only");
        // The speech-embedding stream runs over the whole recording in bounded chunks of its own.
        if (frontEnd.Bins != extractor.NumBins) return frontEnd.Compute(samples);
        const int framesPerPiece = 6000;
        var frames = extractor.FrameCount(samples.Length);
        var bins = extractor.NumBins;
        var data = new float[(long)frames * bins];
        for (var first = 0; first < frames; first += framesPerPiece)
        {
            var count = Math.Min(framesPerPiece, frames - first);
            var from = first * extractor.WindowShift;
            var length = (count - 1) * extractor.WindowShift + extractor.WindowSize;
            extractor.Compute(samples.AsSpan(from, length)).Data.CopyTo(data, (long)first * bins);
        }
        return new FeatureMatrix(data, frames, bins);
    }

    private NormalizedInput Prepare(float[] samples)
    {
        var raw = RawFeatures(samples);
        var (mean, scale) = raw.NormalizationFor(Features);
        return new NormalizedInput(raw, mean, scale);
    }

    /// <summary>Raw features and the normalisation to apply as they are copied into a batch (null: already
    /// normalised). Normalising row by row keeps a long recording from needing a second full copy.</summary>
    private readonly record struct NormalizedInput(FeatureMatrix Raw, double[]? Mean, double[]? Scale)
    {
        public void CopyRows(int from, int to, Span<float> target)
        {
            var bins = Raw.Bins;
            if (Mean is null)
            {
                Raw.Data.AsSpan(from * bins, (to - from) * bins).CopyTo(target);
                return;
            }
            for (var f = from; f < to; f++)
            {
                var row = Raw.Row(f);
                var into = target.Slice((f - from) * bins, bins);
                for (var b = 0; b < bins; b++) into[b] = (float)((row[b] - Mean[b]) * Scale![b]);
            }
        }
    }

    /// <summary>Feature frames [From, To) of input Item; output frames [Skip, Skip + Keep) of the result are kept
    /// as the Ordinal-th part of the input's posteriors.</summary>
    private readonly record struct Piece(int Item, int Ordinal, int From, int To, int Skip, int Keep)
    {
        public int Frames => To - From;
    }

    private IEnumerable<Piece> PiecesOf(int item, int frames)
    {
        var ordinal = 0;
        for (var start = 0; start < frames; start += _chunkFrames)
        {
            var from = Math.Max(0, start - _contextFrames);
            var to = Math.Min(frames, start + _chunkFrames + _contextFrames);
            var skip = (int)Math.Round((start - from) / _featureFramesPerOutput);
            var keep = start + _chunkFrames >= frames ? int.MaxValue : (int)Math.Round(_chunkFrames / _featureFramesPerOutput);
            yield return new Piece(item, ordinal++, from, to, skip, keep);
        }
    }

    /// <summary>Batches of piece indices: sorted by length (shortest first), each ≤ maxFrames padded frames and
    /// <see cref="InferenceOptions.MaxPiecesPerBatch"/> pieces; a piece longer than maxFrames runs alone.</summary>
    internal static List<int[]> PlanBatches(IReadOnlyList<int> frames, int maxFrames)
    {
        var order = Enumerable.Range(0, frames.Count).ToArray();
        Array.Sort(frames.Select(f => (double)f).ToArray(), order);
        var batches = new List<int[]>();
        var current = new List<int>();
        var longest = 0;
        foreach (var index in order)
        {
            var wouldBe = Math.Max(longest, frames[index]) * (current.Count + 1);
            if (current.Count > 0 && (wouldBe > maxFrames || current.Count >= InferenceOptions.MaxPiecesPerBatch))
            {
                batches.Add([.. current]);
                current.Clear();
                longest = 0;
            }
            current.Add(index);
            longest = Math.Max(longest, frames[index]);
        }
        if (current.Count > 0) batches.Add([.. current]);
        return batches;
    }

    private void Run<T>(int count, Func<int, int> framesOf, Func<int, T> load, Func<T, NormalizedInput> features,
        Action<int, T, CtcPosteriors> done, int? maxFramesPerBatch)
    {
        var units = _network.Config.NumUnits;
        var pieces = new List<Piece>();
        var parts = new float[count][][];
        var remaining = new int[count];
        for (var i = 0; i < count; i++)
        {
            var before = pieces.Count;
            pieces.AddRange(PiecesOf(i, framesOf(i)));
            remaining[i] = pieces.Count - before;
            parts[i] = new float[remaining[i]][];
            if (remaining[i] == 0) done(i, load(i), new CtcPosteriors([], 0, units, FrameSeconds));
        }
        if (pieces.Count == 0) return;

        var wasTraining = _network.training;
        _network.eval();
        try
        {
            foreach (var batch in PlanBatches(pieces.Select(p => p.Frames).ToList(), maxFramesPerBatch ?? _maxFramesPerBatch))
            {
                var inBatch = batch.Select(b => pieces[b]).ToList();
                var loaded = inBatch.Select(p => p.Item).Distinct().ToDictionary(i => i, load);
                var outputs = Forward(inBatch, p => features(loaded[p.Item]));
                for (var k = 0; k < inBatch.Count; k++)
                {
                    var piece = inBatch[k];
                    parts[piece.Item][piece.Ordinal] = outputs[k];
                    if (--remaining[piece.Item] > 0) continue;
                    var whole = parts[piece.Item].Length == 1 ? parts[piece.Item][0] : [.. parts[piece.Item].SelectMany(p => p)];
                    parts[piece.Item] = [];
                    done(piece.Item, loaded[piece.Item], new CtcPosteriors(whole, units, FrameSeconds));
                }
            }
        }
        finally
        {
            if (wasTraining) _network.train();
        }
    }

    /// <summary>One network call over the pieces (zero-padded to the longest); each piece's kept output rows.</summary>
    private float[][] Forward(IReadOnlyList<Piece> pieces, Func<Piece, NormalizedInput> input)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var bins = _network.Config.FeatureColumns;
        var longest = pieces.Max(p => p.Frames);
        var padded = new float[(long)pieces.Count * longest * bins];
        for (var b = 0; b < pieces.Count; b++)
            input(pieces[b]).CopyRows(pieces[b].From, pieces[b].To, padded.AsSpan(b * longest * bins, pieces[b].Frames * bins));
        var features = tensor(padded, [pieces.Count, longest, bins], ScalarType.Float32).to(_device);
        var lengths = tensor(pieces.Select(p => (long)p.Frames).ToArray(), ScalarType.Int64).to(_device);
        var (logProbs, outLengths) = _network.call(features, lengths);
        var valid = outLengths.cpu().data<long>().ToArray();
        var values = logProbs.detach().cpu().to_type(ScalarType.Float32).contiguous();
        var all = values.data<float>().ToArray();
        int frames = (int)values.shape[1], units = (int)values.shape[2];
        var result = new float[pieces.Count][];
        for (var b = 0; b < pieces.Count; b++)
        {
            var skip = pieces[b].Skip;
            var available = Math.Max(0, (int)Math.Min(valid[b], frames) - skip);
            var keep = Math.Clamp(Math.Min(pieces[b].Keep, available), 0, available);
            result[b] = new float[keep * units];
            Array.Copy(all, ((long)b * frames + skip) * units, result[b], 0, result[b].Length);
        }
        return result;
    }

    public void Dispose()
    {
        if (_ownsNetwork) _network.Dispose();
        _frontEnd?.Dispose();
    }
}
