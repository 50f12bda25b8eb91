// Power spectra of several real frames at once (one frame per SIMD lane of Vector<double>): one complex FFT of
// length N/2 over the even/odd samples packed as real/imaginary parts, then the standard split into the N/2 + 1
// bins of the real transform. Double precision throughout, so results match a float64 reference closely. Tables
// are built once per size; an instance is not thread-safe (each extraction thread owns one).
using System.Numerics;

namespace DgTools.Audio;

internal sealed class RealFft
{
    private readonly int _half;
    private readonly int[] _bitReverse;
    private readonly Vector<double>[] _cos, _sin;           // twiddles of the half-length complex FFT, broadcast
    private readonly Vector<double>[] _splitCos, _splitSin; // e^{-2 pi i k / N} for the split, broadcast
    private readonly Vector<double>[] _re, _im;

    public RealFft(int n)
    {
        if (n < 16 || (n & (n - 1)) != 0) throw new ArgumentException("FFT length must be a power of two >= 16", nameof(n));
        _half = n / 2;
        int bits = BitOperations.Log2((uint)_half);
        _bitReverse = new int[_half];
        for (int i = 0; i < _half; i++)
        {
            int r = 0;
            for (int b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
            _bitReverse[i] = r;
        }
        _cos = new Vector<double>[_half / 2];
        _sin = new Vector<double>[_half / 2];
        for (int k = 0; k < _half / 2; k++)
        {
            _cos[k] = new Vector<double>(Math.Cos(2 * Math.PI * k / _half));
            _sin[k] = new Vector<double>(-Math.Sin(2 * Math.PI * k / _half));
        }
        _splitCos = new Vector<double>[_half + 1];
        _splitSin = new Vector<double>[_half + 1];
        for (int k = 0; k <= _half; k++)
        {
            _splitCos[k] = new Vector<double>(Math.Cos(2 * Math.PI * k / n));
            _splitSin[k] = new Vector<double>(-Math.Sin(2 * Math.PI * k / n));
        }
        _re = new Vector<double>[_half];
        _im = new Vector<double>[_half];
    }

    public static int Lanes => Vector<double>.Count;

    /// <summary>|X[k]|² for k = 0..N/2 of <see cref="Lanes"/> real inputs of length N, sample-major
    /// (input[i] holds sample i of every lane).</summary>
    public void PowerSpectrum(ReadOnlySpan<Vector<double>> input, Span<Vector<double>> power)
    {
        var re = _re;
        var im = _im;
        for (int i = 0; i < _half; i++)
        {
            int j = _bitReverse[i];
            re[j] = input[2 * i];
            im[j] = input[2 * i + 1];
        }
        // The first two stages have the twiddles 1 and -i: no multiplications.
        for (int a = 0; a < _half; a += 2)
        {
            var br = re[a + 1];
            var bi = im[a + 1];
            re[a + 1] = re[a] - br;
            im[a + 1] = im[a] - bi;
            re[a] += br;
            im[a] += bi;
        }
        for (int a = 0; a < _half; a += 4)
        {
            var br = re[a + 2];
            var bi = im[a + 2];
            re[a + 2] = re[a] - br;
            im[a + 2] = im[a] - bi;
            re[a] += br;
            im[a] += bi;
            // times -i: (br + i bi)(-i) = bi - i br
            var tr = im[a + 3];
            var ti = -re[a + 3];
            re[a + 3] = re[a + 1] - tr;
            im[a + 3] = im[a + 1] - ti;
            re[a + 1] += tr;
            im[a + 1] += ti;
        }
        for (int size = 8; size <= _half; size <<= 1)
        {
            int halfSize = size >> 1, stride = _half / size;
            for (int start = 0; start < _half; start += size)
            {
                for (int k = 0; k < halfSize; k++)
                {
                    var wr = _cos[k * stride];
                    var wi = _sin[k * stride];
                    int a = start + k, b = a + halfSize;
                    var br = re[b];
                    var bi = im[b];
                    var tr = br * wr - bi * wi;
                    var ti = br * wi + bi * wr;
                    var ar = re[a];
                    var ai = im[a];
                    re[b] = ar - tr;
                    im[b] = ai - ti;
                    re[a] = ar + tr;
                    im[a] = ai + ti;
                }
            }
        }
        // X[k] = E[k] + W^k O[k], with E = (Z[k] + conj Z[M-k]) / 2 and O = (Z[k] - conj Z[M-k]) / 2i.
        var halfVector = new Vector<double>(0.5);
        for (int k = 0; k <= _half; k++)
        {
            int a = k == _half ? 0 : k, b = k == 0 ? 0 : _half - k;
            var zr = re[a];
            var zi = im[a];
            var cr = re[b];
            var ci = -im[b];
            var er = halfVector * (zr + cr);
            var ei = halfVector * (zi + ci);
            var odr = halfVector * (zi - ci); // (Z - conj) / 2i: real part = imag / 2
            var odi = halfVector * (cr - zr); //                 imag part = -real / 2
            var wr = _splitCos[k];
            var wi = _splitSin[k];
            var xr = er + odr * wr - odi * wi;
            var xi = ei + odr * wi + odi * wr;
            power[k] = xr * xr + xi * xi;
        }
    }
}
