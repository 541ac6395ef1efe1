namespace ChasiSre.Streams.Anomaly.Tests;

/// <summary>Deterministic synthetic series for the detector tables.</summary>
public static class SeriesScenario
{
    public const int Length = 400;
    public const int Change = 300;

    public static double[] Create(string name)
    {
        var random = new Random(42);
        var series = new double[Length];
        for (var t = 0; t < Length; t++)
        {
            var noise = Gaussian(random);
            series[t] = name switch
            {
                "flat" => 10.0,
                "noisy" => 10.0 + noise,
                "spike" => 10.0 + noise + (t == Change ? 12.0 : 0.0),
                "level-shift" => 10.0 + noise + (t >= Change ? 12.0 : 0.0),
                "variance-change" => 10.0 + (noise * (t >= Change ? 10.0 : 1.0)),
                "sine-with-spike" => 10.0 + (5.0 * Math.Sin(2 * Math.PI * t / 50.0)) + (0.1 * noise) + (t == Change ? 5.0 : 0.0),
                _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown scenario."),
            };
        }

        return series;
    }

    private static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
