// Band-limited resampling by a Hann-windowed sinc polyphase filter: the same kernel and framing as torchaudio's
// `functional.resample` defaults (sinc_interp_hann, lowpass_filter_width 6, rolloff 0.99), so 8 kHz telephone audio
// and 44.1 kHz music-rate audio reach 16 kHz the way the PyTorch world would do it. Parity is tested on saved
// torchaudio outputs (tests/.../Fixtures/Audio, made by bench/data/make_audio_fixtures.py).
namespace DgTools.Audio;

public sealed class Resampler
{
    public const int LowpassFilterWidth = 6;
    public const double Rolloff = 0.99;

    private readonly int _inStep, _outStep, _width, _taps;
    private readonly float[] _kernel; // [phase][tap], phase = output index modulo _outStep

    public Resampler(int fromRate, int toRate)
    {
        if (fromRate <= 0 || toRate <= 0) throw new ArgumentOutOfRangeException(nameof(fromRate), "rates must be positive");
        FromRate = fromRate;
        ToRate = toRate;
        int gcd = Gcd(fromRate, toRate);
        _inStep = fromRate / gcd;
        _outStep = toRate / gcd;
        double baseFreq = Math.Min(_inStep, _outStep) * Rolloff;
        _width = (int)Math.Ceiling(LowpassFilterWidth * _inStep / baseFreq);
        _taps = 2 * _width + _inStep;
        _kernel = new float[_outStep * _taps];
        double scale = baseFreq / _inStep;
        for (int phase = 0; phase < _outStep; phase++)
        {
            for (int tap = 0; tap < _taps; tap++)
            {
                double t = (-(double)phase / _outStep + (tap - _width) / (double)_inStep) * baseFreq;
                t = Math.Clamp(t, -LowpassFilterWidth, LowpassFilterWidth);
                double window = Math.Cos(t * Math.PI / LowpassFilterWidth / 2);
                window *= window;
                t *= Math.PI;
                double sinc = t == 0 ? 1.0 : Math.Sin(t) / t;
                _kernel[phase * _taps + tap] = (float)(sinc * window * scale);
            }
        }
    }

    public int FromRate { get; }
    public int ToRate { get; }

    public static float[] Resample(float[] samples, int fromRate, int toRate) =>
        fromRate == toRate ? samples : new Resampler(fromRate, toRate).Process(samples);

    public float[] Process(ReadOnlySpan<float> input)
    {
        if (_inStep == _outStep) return input.ToArray();
        int length = input.Length;
        int outLength = (int)Math.Ceiling((long)_outStep * length / (double)_inStep);
        var output = new float[outLength];
        // Output sample k*_outStep + phase reads padded input [k*_inStep, k*_inStep + _taps), where the input is
        // padded with _width zeros in front (torchaudio pads (width, width + inStep) and convolves with stride).
        for (int o = 0; o < outLength; o++)
        {
            int block = o / _outStep, phase = o % _outStep;
            int start = block * _inStep - _width; // index into the unpadded input
            int first = Math.Max(0, -start), last = Math.Min(_taps, length - start);
            output[o] = Output(phase, input.Slice(start + first, last - first), first);
        }
        return output;
    }

    /// <summary>
    /// Resamples an input of known length read in order, chunk by chunk (a WAV file streamed from disk): the same
    /// samples as <see cref="Process"/> on the whole input, holding only a window of it. <paramref name="read"/> fills
    /// the span it is given from the input's next samples and returns how many it wrote (0 only at the end).
    /// </summary>
    public float[] Process(long inputLength, Func<Span<float>, int> read, int chunk = 1 << 16)
    {
        long outLength = (long)Math.Ceiling((long)_outStep * inputLength / (double)_inStep);
        if (outLength > Array.MaxLength) throw new InvalidDataException("recording is too long to resample in one piece");
        var output = new float[outLength];
        // window holds input samples [windowStart, windowStart + filled); an output's taps start at block*_inStep - _width.
        var window = new float[Math.Max(chunk, 1) + _taps + _inStep];
        long windowStart = 0;
        int filled = 0;
        long received = 0;
        for (long o = 0; o < outLength; o++)
        {
            long block = o / _outStep;
            int phase = (int)(o % _outStep);
            long start = block * _inStep - _width;
            long end = Math.Min(start + _taps, inputLength);   // input this output needs, [max(start, 0), end)
            while (received < end)
            {
                // Drop what no later output reads (every later start is ≥ this one), then read more behind the rest.
                int keep = (int)Math.Max(0, windowStart + filled - Math.Max(start, 0));
                long from = windowStart + filled - keep;
                Array.Copy(window, filled - keep, window, 0, keep);
                windowStart = from;
                filled = keep;
                int wanted = (int)Math.Min(window.Length - filled, inputLength - received);
                int got = read(window.AsSpan(filled, wanted));
                if (got <= 0) throw new InvalidDataException($"input ended after {received} of {inputLength} samples");
                filled += got;
                received += got;
            }
            int first = (int)Math.Max(0, -start), last = (int)Math.Min(_taps, inputLength - start);
            output[o] = Output(phase, window.AsSpan((int)(start + first - windowStart), last - first), first);
        }
        return output;
    }

    /// <summary>One output sample: the phase's kernel from tap <paramref name="first"/> on over <paramref name="input"/>
    /// (the input those taps read; taps before and after it fall on the zero padding).</summary>
    private float Output(int phase, ReadOnlySpan<float> input, int first)
    {
        var kernel = _kernel.AsSpan(phase * _taps + first, input.Length);
        double sum = 0;
        for (int i = 0; i < input.Length; i++) sum += input[i] * kernel[i];
        return (float)sum;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
