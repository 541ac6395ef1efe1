namespace ChasiSre.Streams.Metrics.Tests;

/// <summary>A corrupt snapshot (bit flips, cut short) is refused with <see cref="InvalidDataException"/> or read as
/// something valid; it never throws anything else and never takes the process down.</summary>
public sealed class SnapshotCorruptionTests
{
    public static TheoryData<string> Monitors() => ["metric", "pca", "business"];

    [Theory]
    [MemberData(nameof(Monitors))]
    public void Restore_CorruptedSnapshots_OnlyInvalidDataOrSuccess(string kind)
    {
        var (snapshot, restore) = Build(kind);
        var random = new Random(1234);
        var refused = 0;
        for (var trial = 0; trial < 150; trial++)
        {
            var corrupt = (byte[])snapshot.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                corrupt[random.Next(corrupt.Length)] ^= (byte)(1 << random.Next(8));
            }

            if (trial % 3 == 0)
            {
                corrupt = corrupt[..random.Next(corrupt.Length)];
            }

            try
            {
                restore(corrupt);
            }
            catch (InvalidDataException)
            {
                refused++;
            }
        }

        Assert.True(refused > 0);
    }

    private static (byte[] Snapshot, Action<byte[]> Restore) Build(string kind)
    {
        switch (kind)
        {
            case "metric":
                {
                    var monitor = new MetricAnomalyMonitor(new MetricAnomalyOptions());
                    Samples.Feed(monitor, "container_memory_working_set_bytes", Samples.Pod(), Samples.Minutes(600, (m, n) => 100 + n));
                    return (monitor.Snapshot(), bytes => new MetricAnomalyMonitor(new MetricAnomalyOptions()).Restore(bytes));
                }

            case "pca":
                {
                    var options = new WorkloadPcaOptions { MinTrainingWindows = 12, HistoryWindows = 24 };
                    var monitor = new WorkloadPcaMonitor(options);
                    foreach (var (at, value) in Samples.Minutes(120, (m, n) => 1 + (0.1 * n)))
                    {
                        monitor.Observe(Samples.Sample("container_cpu_usage_cores", Samples.Pod(), [(at, value)]));
                    }

                    return (monitor.Snapshot(), bytes => new WorkloadPcaMonitor(options).Restore(bytes));
                }

            default:
                {
                    var monitor = new BusinessHealthMonitor(new BusinessHealthOptions());
                    monitor.Observe(new Schemas.V1.BusinessRecord
                    {
                        Adapter = "orders",
                        Subject = Samples.Pod(),
                        At = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(Samples.Start),
                        Status = new Schemas.V1.BusinessStatus { Healthy = false, Summary = "down", DependsOn = { Samples.Pod("api") } },
                    });
                    return (monitor.Snapshot(), bytes => new BusinessHealthMonitor(new BusinessHealthOptions()).Restore(bytes));
                }
        }
    }
}
