// Power spectrum of a real frame of power-of-two length N: one complex FFT of length N/2 over the even/odd samples
// packed as real/imaginary parts, then the standard split into the N/2 + 1 bins of the real transform. Tables are
// built once per size; an instance is not thread-safe (each extraction thread owns one).
namespace DgTools.Audio;

internal sealed class RealFft
{
    private readonly int _n, _half;
    private readonly int[] _bitReverse;
    private readonly double[] _cos, _sin;         // twiddles of the half-length complex FFT
    private readonly double[] _splitCos, _splitSin; // e^{-2 pi i k / N} for the split
    private readonly double[] _re, _im;

    public RealFft(int n)
    {
        if (n < 4 || (n & (n - 1)) != 0) throw new ArgumentException("FFT length must be a power of two >= 4", nameof(n));
        _n = n;
        _half = n / 2;
        int bits = System.Numerics.BitOperations.Log2((uint)_half);
        _bitReverse = new int[_half];
        for (int i = 0; i < _half; i++)
        {
            int r = 0;
            for (int b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
            _bitReverse[i] = r;
        }
        _cos = new double[_half / 2];
        _sin = new double[_half / 2];
        for (int k = 0; k < _half / 2; k++)
        {
            _cos[k] = Math.Cos(2 * Math.PI * k / _half);
            _sin[k] = -Math.Sin(2 * Math.PI * k / _half);
        }
        _splitCos = new double[_half + 1];
        _splitSin = new double[_half + 1];
        for (int k = 0; k <= _half; k++)
        {
            _splitCos[k] = Math.Cos(2 * Math.PI * k / n);
            _splitSin[k] = -Math.Sin(2 * Math.PI * k / n);
        }
        _re = new double[_half];
        _im = new double[_half];
    }

    public int Length => _n;

    /// <summary>|X[k]|² for k = 0..N/2 of the real input (length N).</summary>
    public void PowerSpectrum(ReadOnlySpan<double> input, Span<double> power)
    {
        var re = _re;
        var im = _im;
        for (int i = 0; i < _half; i++)
        {
            int j = _bitReverse[i];
            re[j] = input[2 * i];
            im[j] = input[2 * i + 1];
        }
        for (int size = 2; size <= _half; size <<= 1)
        {
            int halfSize = size >> 1, stride = _half / size;
            for (int start = 0; start < _half; start += size)
            {
                for (int k = 0; k < halfSize; k++)
                {
                    double wr = _cos[k * stride], wi = _sin[k * stride];
                    int a = start + k, b = a + halfSize;
                    double tr = re[b] * wr - im[b] * wi;
                    double ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
        // X[k] = E[k] + W^k O[k], with E = (Z[k] + conj Z[M-k]) / 2 and O = (Z[k] - conj Z[M-k]) / 2i.
        for (int k = 0; k <= _half; k++)
        {
            int a = k % _half, b = (_half - k) % _half;
            double zr = re[a], zi = im[a], cr = re[b], ci = -im[b];
            double er = 0.5 * (zr + cr), ei = 0.5 * (zi + ci);
            double dr = 0.5 * (zr - cr), di = 0.5 * (zi - ci);
            double odr = di, odi = -dr; // divide by i
            double wr = _splitCos[k], wi = _splitSin[k];
            double xr = er + odr * wr - odi * wi;
            double xi = ei + odr * wi + odi * wr;
            power[k] = xr * xr + xi * xi;
        }
    }
}
