namespace ChasiSre.Streams.Anomaly;

/// <summary>In-place iterative radix-2 FFT over split real/imaginary arrays, with precomputed twiddles.</summary>
internal sealed class Fft
{
    private readonly int _length;
    private readonly double[] _cos;
    private readonly double[] _sin;
    private readonly int[] _bitReversed;

    public Fft(int length)
    {
        if (!int.IsPow2(length))
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "The FFT length must be a power of two.");
        }

        _length = length;
        _cos = new double[length / 2];
        _sin = new double[length / 2];
        for (var k = 0; k < length / 2; k++)
        {
            var angle = -2.0 * Math.PI * k / length;
            _cos[k] = Math.Cos(angle);
            _sin[k] = Math.Sin(angle);
        }

        var bits = int.Log2(length);
        _bitReversed = new int[length];
        for (var i = 0; i < length; i++)
        {
            var reversed = 0;
            for (var b = 0; b < bits; b++)
            {
                reversed |= ((i >> b) & 1) << (bits - 1 - b);
            }

            _bitReversed[i] = reversed;
        }
    }

    public int Length => _length;

    /// <summary>Forward transform (no scaling).</summary>
    public void Forward(Span<double> re, Span<double> im) => Transform(re, im, inverse: false);

    /// <summary>Inverse transform, scaled by 1/N.</summary>
    public void Inverse(Span<double> re, Span<double> im)
    {
        Transform(re, im, inverse: true);
        var scale = 1.0 / _length;
        for (var i = 0; i < _length; i++)
        {
            re[i] *= scale;
            im[i] *= scale;
        }
    }

    private void Transform(Span<double> re, Span<double> im, bool inverse)
    {
        if (re.Length != _length || im.Length != _length)
        {
            throw new ArgumentException($"Both spans must have length {_length}.", nameof(re));
        }

        for (var i = 0; i < _length; i++)
        {
            var j = _bitReversed[i];
            if (j > i)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }

        var sign = inverse ? -1.0 : 1.0;
        for (var size = 2; size <= _length; size <<= 1)
        {
            var half = size / 2;
            var step = _length / size;
            for (var start = 0; start < _length; start += size)
            {
                for (var k = 0; k < half; k++)
                {
                    var wr = _cos[k * step];
                    var wi = sign * _sin[k * step];
                    var a = start + k;
                    var b = a + half;
                    var tr = (re[b] * wr) - (im[b] * wi);
                    var ti = (re[b] * wi) + (im[b] * wr);
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
    }
}
