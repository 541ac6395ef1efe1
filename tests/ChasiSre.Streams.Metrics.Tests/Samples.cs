using ChasiSre.Schemas.V1;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Streams.Metrics.Tests;

/// <summary>Metric records and synthetic series for the monitor tests (deterministic: seeded noise).</summary>
internal static class Samples
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public static ObjectRef Pod(string name = "checkout-6d5f7c9b8-x2x9p") => new()
    {
        Cluster = "team-a",
        Tenant = "team-a",
        Layer = Layer.Virtual,
        ApiVersion = "v1",
        Kind = "Pod",
        Namespace = "shop",
        Name = name,
        HostCluster = "host",
        HostNamespace = "vcluster-team-a",
    };

    public static MetricSample Sample(string name, ObjectRef? subject, IEnumerable<(DateTimeOffset At, double Value)> points, string container = "app")
    {
        var sample = new MetricSample
        {
            Name = name,
            Series = $"{name}{{container=\"{container}\",pod=\"{subject?.Name}\"}}",
            Subject = subject,
        };
        sample.Labels["container"] = container;
        sample.Labels["pod"] = subject?.Name ?? "";
        foreach (var (at, value) in points)
        {
            sample.Points.Add(new MetricSample.Types.Point { At = Timestamp.FromDateTimeOffset(at), Value = value });
        }

        return sample;
    }

    /// <summary>One point a minute for <paramref name="minutes"/> minutes from <see cref="Start"/>, value from <paramref name="shape"/>(minute, noise).</summary>
    public static List<(DateTimeOffset At, double Value)> Minutes(int minutes, Func<int, double, double> shape, int seed = 7)
    {
        var random = new Random(seed);
        var points = new List<(DateTimeOffset, double)>(minutes);
        for (var m = 0; m < minutes; m++)
        {
            points.Add((Start.AddMinutes(m), shape(m, Gaussian(random))));
        }

        return points;
    }

    public static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Feeds the points one record each, returning every change.</summary>
    public static List<SourceFindings> Feed(MetricAnomalyMonitor monitor, string name, ObjectRef? subject, IEnumerable<(DateTimeOffset At, double Value)> points)
    {
        var changes = new List<SourceFindings>();
        foreach (var point in points)
        {
            changes.AddRange(monitor.Observe(Sample(name, subject, [point])));
        }

        return changes;
    }
}
