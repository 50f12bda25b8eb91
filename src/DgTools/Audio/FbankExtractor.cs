// Kaldi-compatible log-mel filterbank, numerically the same as torchaudio.compliance.kaldi.fbank with its defaults
// (povey window, pre-emphasis 0.97, DC removal, snip_edges, power spectrum, low_freq 20 Hz, high_freq Nyquist,
// log floored at float32 epsilon) and dither 0; samples are taken as given (torchaudio's [-1, 1] scale). Parity
// within 1e-3 is tested on saved torchaudio outputs. Written as a tight managed loop (a real FFT over several frames
// at once in SIMD lanes, sparse mel filters) because this runs on every utterance of every training run: see docs/benchmarks.md for its speed.
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DgTools.Audio;

public sealed class FbankExtractor
{
    public const double PreemphasisCoefficient = 0.97;
    public const double LowFrequency = 20.0;
    private const float LogFloor = 1.1920929e-07f; // torch.finfo(torch.float32).eps

    private readonly double[] _window;
    private readonly int[] _filterStart;
    private readonly double[][] _filterWeights;
    private readonly ThreadLocal<Scratch> _scratch;

    public FbankExtractor(FeatureConfig config)
    {
        Config = config;
        if (config.Dither != 0.0) throw new ConfigError("feature dither must be 0 (dgtools features are deterministic)");
        WindowSize = (int)(config.SampleRate * config.FrameLengthMs * 0.001);
        WindowShift = (int)(config.SampleRate * config.FrameShiftMs * 0.001);
        if (WindowSize < 2 || WindowShift < 1) throw new ConfigError("feature frame length and shift are too short");
        FftSize = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)WindowSize);

        // Povey window: a non-periodic Hann window raised to 0.85.
        _window = new double[WindowSize];
        for (int i = 0; i < WindowSize; i++)
            _window[i] = Math.Pow(0.5 - 0.5 * Math.Cos(2 * Math.PI * i / (WindowSize - 1)), 0.85);

        (_filterStart, _filterWeights) = MelFilters(config.NumMelBins, FftSize, config.SampleRate);
        _scratch = new ThreadLocal<Scratch>(() => new Scratch(FftSize));
    }

    public FeatureConfig Config { get; }
    public int WindowSize { get; }
    public int WindowShift { get; }
    public int FftSize { get; }
    public int NumBins => Config.NumMelBins;

    /// <summary>Frames produced for a given number of samples (snip_edges: only whole windows).</summary>
    public int FrameCount(int samples) => samples < WindowSize ? 0 : 1 + (samples - WindowSize) / WindowShift;

    /// <summary>Log-mel features of mono samples at <see cref="FeatureConfig.SampleRate"/>, frames × bins.
    /// Thread-safe: concurrent calls use per-thread scratch buffers.</summary>
    public FeatureMatrix Compute(ReadOnlySpan<float> samples)
    {
        int frames = FrameCount(samples.Length), bins = NumBins, lanes = RealFft.Lanes;
        var data = new float[frames * bins];
        var s = _scratch.Value!;
        var packed = s.Frames;              // sample-major: packed[i * lanes + lane]
        var vectors = MemoryMarshal.Cast<double, Vector<double>>(packed.AsSpan());
        var power = s.Power;
        Span<double> energies = stackalloc double[lanes];
        var logFloor = new Vector<double>(LogFloor);
        // Running sums give every frame's mean (for DC removal) in O(1).
        var prefix = s.Prefix(samples.Length + 1);
        double running = 0;
        for (int i = 0; i < samples.Length; i++) { prefix[i] = running; running += samples[i]; }
        prefix[samples.Length] = running;
        // Frames go through the FFT `lanes` at a time, one per SIMD lane; a last partial group leaves lanes at zero.
        for (int first = 0; first < frames; first += lanes)
        {
            int count = Math.Min(lanes, frames - first);
            if (count < lanes) Array.Clear(packed);
            if (count == lanes && lanes == 4) PrepareFourFrames(samples, first, prefix, vectors);
            else
                for (int lane = 0; lane < count; lane++) PrepareFrame(samples, first + lane, prefix, packed, lane, lanes);
            s.Fft.PowerSpectrum(vectors, power);
            for (int m = 0; m < bins; m++)
            {
                var weights = _filterWeights[m];
                int start = _filterStart[m];
                var energy = Vector<double>.Zero;
                for (int k = 0; k < weights.Length; k++) energy += weights[k] * power[start + k];
                Vector.Log(Vector.Max(energy, logFloor)).CopyTo(energies);
                for (int lane = 0; lane < count; lane++) data[(first + lane) * bins + m] = (float)energies[lane];
            }
        }
        return new FeatureMatrix(data, frames, bins);
    }

    // DC removal, then pre-emphasis against the previous sample (the first against itself), then the window.
    private void PrepareFrame(ReadOnlySpan<float> samples, int frame, double[] prefix, double[] packed, int lane, int lanes)
    {
        int offset = frame * WindowShift;
        var input = samples.Slice(offset, WindowSize);
        double mean = (prefix[offset + WindowSize] - prefix[offset]) / WindowSize;
        double previous = input[0] - mean;
        for (int i = 0; i < WindowSize; i++)
        {
            double x = input[i] - mean;
            packed[i * lanes + lane] = (x - PreemphasisCoefficient * previous) * _window[i];
            previous = x;
        }
    }

    // The same for four frames at once, one per lane of a 256-bit vector (the common case on x64 and arm64).
    private void PrepareFourFrames(ReadOnlySpan<float> samples, int first, double[] prefix, Span<Vector<double>> output)
    {
        int o0 = first * WindowShift, o1 = o0 + WindowShift, o2 = o1 + WindowShift, o3 = o2 + WindowShift;
        var mean = Vector256.Create(
            prefix[o0 + WindowSize] - prefix[o0], prefix[o1 + WindowSize] - prefix[o1],
            prefix[o2 + WindowSize] - prefix[o2], prefix[o3 + WindowSize] - prefix[o3]) / WindowSize;
        var previous = Vector256.Create((double)samples[o0], samples[o1], samples[o2], samples[o3]) - mean;
        var coefficient = Vector256.Create(PreemphasisCoefficient);
        for (int i = 0; i < WindowSize; i++)
        {
            var x = Vector256.Create((double)samples[o0 + i], samples[o1 + i], samples[o2 + i], samples[o3 + i]) - mean;
            output[i] = ((x - coefficient * previous) * Vector256.Create(_window[i])).AsVector();
            previous = x;
        }
    }

    // Triangular filters evenly spaced on the mel scale (1127 ln(1 + f/700)) between 20 Hz and Nyquist over FFT
    // bins 0..N/2-1 (Kaldi gives the Nyquist bin no weight). Stored sparsely: the first non-zero bin and the weights.
    public static double Mel(double hz) => 1127.0 * Math.Log(1.0 + hz / 700.0);

    public static double HzOfMel(double mel) => 700.0 * (Math.Exp(mel / 1127.0) - 1.0);

    /// <summary>The mel-scale step between neighbouring filters' centres; filter m is centred at Mel(LowFrequency) + (m + 1) × step.</summary>
    public static double MelStep(int numBins, int sampleRate) => (Mel(0.5 * sampleRate) - Mel(LowFrequency)) / (numBins + 1);

    private static (int[] Start, double[][] Weights) MelFilters(int numBins, int fftSize, int sampleRate)
    {
        int fftBins = fftSize / 2;
        double binWidth = sampleRate / (double)fftSize;
        double melLow = Mel(LowFrequency);
        double delta = MelStep(numBins, sampleRate);
        var start = new int[numBins];
        var weights = new double[numBins][];
        for (int m = 0; m < numBins; m++)
        {
            double left = melLow + m * delta, center = melLow + (m + 1) * delta, right = melLow + (m + 2) * delta;
            var w = new double[fftBins];
            int first = -1, last = -1;
            for (int k = 0; k < fftBins; k++)
            {
                double mel = Mel(binWidth * k);
                double up = (mel - left) / (center - left), down = (right - mel) / (right - center);
                w[k] = Math.Max(0.0, Math.Min(up, down));
                if (w[k] > 0) { if (first < 0) first = k; last = k; }
            }
            if (first < 0) { start[m] = 0; weights[m] = []; continue; }
            start[m] = first;
            weights[m] = w[first..(last + 1)];
        }
        return (start, weights);
    }

    private sealed class Scratch(int fftSize)
    {
        public readonly RealFft Fft = new(fftSize);
        public readonly double[] Frames = new double[fftSize * RealFft.Lanes]; // samples past the window stay 0
        public readonly Vector<double>[] Power = new Vector<double>[fftSize / 2 + 1];
        private double[] _prefix = [];

        public double[] Prefix(int length) => _prefix.Length >= length ? _prefix : _prefix = new double[Math.Max(length, 2 * _prefix.Length)];
    }
}
