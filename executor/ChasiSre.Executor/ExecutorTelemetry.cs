using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ChasiSre.Executor;

/// <summary>The executor's ActivitySource, Meter and instrument names (dashboards depend on them).</summary>
public static class ExecutorTelemetry
{
    public const string Name = "ChasiSre.Executor";

    /// <summary>Action records written, by <c>phase</c> and <c>action</c>.</summary>
    public const string Records = "chasisre.executor.records";

    /// <summary>Time from EXECUTING to SUCCEEDED or FAILED (and of rollbacks), by <c>action</c>, <c>operation</c> (execute, rollback) and <c>outcome</c>.</summary>
    public const string Duration = "chasisre.executor.action.duration";

    /// <summary>Requests from people refused because the transition was not valid, by <c>phase</c>.</summary>
    public const string RefusedRequests = "chasisre.executor.requests.refused";

    /// <summary>Kubernetes Events the executor could not write on a target.</summary>
    public const string EventFailures = "chasisre.executor.events.failed";

    /// <summary>Write conflicts (409) met during execution or rollback, by <c>action</c>.</summary>
    public const string Conflicts = "chasisre.executor.conflicts";

    public static readonly ActivitySource Source = new(Name);

    internal static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> RecordCounter = Meter.CreateCounter<long>(Records, "{record}", "Action records written to chasi.actions.v1");

    internal static readonly Histogram<double> DurationHistogram = Meter.CreateHistogram<double>(Duration, "s", "Duration of an action's execution or rollback");

    internal static readonly Counter<long> RefusedCounter = Meter.CreateCounter<long>(RefusedRequests, "{request}", "Decisions from people refused as invalid transitions");

    internal static readonly Counter<long> EventFailureCounter = Meter.CreateCounter<long>(EventFailures, "{event}", "Kubernetes Events the executor could not write");

    internal static readonly Counter<long> ConflictCounter = Meter.CreateCounter<long>(Conflicts, "{conflict}", "409 conflicts met while writing");
}
