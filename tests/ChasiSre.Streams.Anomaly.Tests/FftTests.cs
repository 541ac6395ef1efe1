namespace ChasiSre.Streams.Anomaly.Tests;

public sealed class FftTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    [InlineData(64)]
    public void Forward_RandomSignal_MatchesTheNaiveDftAndInverts(int length)
    {
        var random = new Random(length);
        var re = Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
        var im = Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
        var (originalRe, originalIm) = ((double[])re.Clone(), (double[])im.Clone());
        var fft = new Fft(length);

        fft.Forward(re, im);
        for (var k = 0; k < length; k++)
        {
            double sumRe = 0, sumIm = 0;
            for (var t = 0; t < length; t++)
            {
                var angle = -2 * Math.PI * k * t / length;
                sumRe += (originalRe[t] * Math.Cos(angle)) - (originalIm[t] * Math.Sin(angle));
                sumIm += (originalRe[t] * Math.Sin(angle)) + (originalIm[t] * Math.Cos(angle));
            }

            Assert.Equal(sumRe, re[k], 1e-9);
            Assert.Equal(sumIm, im[k], 1e-9);
        }

        fft.Inverse(re, im);
        for (var t = 0; t < length; t++)
        {
            Assert.Equal(originalRe[t], re[t], 1e-12);
            Assert.Equal(originalIm[t], im[t], 1e-12);
        }
    }
}
