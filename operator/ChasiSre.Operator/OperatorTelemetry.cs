using System.Diagnostics.Metrics;

namespace ChasiSre.Operator;

/// <summary>The operator's Meter (named after the assembly) and instruments.</summary>
public static class OperatorTelemetry
{
    public const string MeterName = "ChasiSre.Operator";

    private static readonly Meter Meter = new(MeterName);

    /// <summary><c>chasisre.operator.reconciles</c>: reconciles by kind and result (ready, not-ready, invalid, deleted, error).</summary>
    public static Counter<long> Reconciles { get; } = Meter.CreateCounter<long>("chasisre.operator.reconciles", "{reconcile}", "Reconciles of chasi.io resources.");

    /// <summary><c>chasisre.operator.reconcile.duration</c>: seconds per reconcile.</summary>
    public static Histogram<double> ReconcileDuration { get; } = Meter.CreateHistogram<double>("chasisre.operator.reconcile.duration", "s", "Duration of one reconcile.");

    /// <summary><c>chasisre.operator.leader</c>: 1 while this replica holds the Lease.</summary>
    public static UpDownCounter<int> Leader { get; } = Meter.CreateUpDownCounter<int>("chasisre.operator.leader", "{replica}", "1 while this replica leads.");
}
