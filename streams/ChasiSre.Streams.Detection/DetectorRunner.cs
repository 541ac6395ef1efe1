using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Streams.Detection;

/// <summary>
/// Runs detectors: for one changed object (the detectors whose <see cref="IDetector.Kinds"/> name its kind), or over a
/// whole state (<c>chasi analyze</c>). Findings are de-duplicated by <see cref="Finding.Key"/> (the pods of one workload
/// yield the same workload finding). A detector that throws despite its contract is a bug: the runner logs it, counts it
/// in <see cref="Failures"/> and goes on with the others, so one bad detector cannot stop detection. Objects and findings in
/// a namespace the platform suspended on purpose (<see cref="TenantSuspension"/>) are not judged: a suspended tenant's
/// stopped workloads are intended.
/// </summary>
public sealed class DetectorRunner
{
    private readonly Dictionary<string, IDetector[]> byKind;
    private readonly ILogger logger;
    private long failures;

    /// <summary>Creates a runner over <paramref name="detectors"/> (e.g. <see cref="DetectorCatalog.Incidents"/>).</summary>
    public DetectorRunner(IEnumerable<IDetector> detectors, ILogger<DetectorRunner>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(detectors);
        Detectors = [.. detectors];
        var duplicate = Detectors.GroupBy(d => d.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Two detectors are named {duplicate.Key}.", nameof(detectors));
        }

        byKind = Detectors.SelectMany(d => d.Kinds.Select(k => (Kind: k, Detector: d)))
            .GroupBy(x => x.Kind, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Detector).ToArray(), StringComparer.Ordinal);
        this.logger = logger ?? NullLogger<DetectorRunner>.Instance;
    }

    /// <summary>The detectors run.</summary>
    public IReadOnlyList<IDetector> Detectors { get; }

    /// <summary>The kinds some detector runs for.</summary>
    public IReadOnlyCollection<string> Kinds => byKind.Keys;

    /// <summary>How many times a detector threw.</summary>
    public long Failures => Interlocked.Read(ref failures);

    /// <summary>Findings for a changed object.</summary>
    public IReadOnlyList<Finding> Run(KubeObject changed, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(changed);
        ArgumentNullException.ThrowIfNull(state);
        Dictionary<string, Finding>? findings = null;
        Collect(changed, state, ref findings);
        return findings is null ? [] : [.. findings.Values];
    }

    /// <summary>Findings over every object of every cluster in <paramref name="state"/>, de-duplicated, ordered by subject.</summary>
    public IReadOnlyList<Finding> Scan(IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Dictionary<string, Finding>? findings = null;
        foreach (var cluster in state.Clusters)
        {
            foreach (var kind in byKind.Keys)
            {
                foreach (var obj in state.List(cluster, kind))
                {
                    Collect(obj, state, ref findings);
                }
            }
        }

        return findings is null ? [] : [.. findings.Values.OrderBy(f => f.Key, StringComparer.Ordinal)];
    }

    // The dictionary is made on the first finding: most objects have none.
    private void Collect(KubeObject obj, IClusterState state, ref Dictionary<string, Finding>? findings)
    {
        if (!byKind.TryGetValue(obj.Ref.Kind, out var detectors) || TenantSuspension.IsSuspended(obj.Ref, state))
        {
            return;
        }

        foreach (var detector in detectors)
        {
            try
            {
                foreach (var finding in detector.Detect(obj, state))
                {
                    if (!TenantSuspension.IsSuspended(finding.Subject, state))
                    {
                        findings ??= new Dictionary<string, Finding>(StringComparer.Ordinal);
                        findings.TryAdd(finding.Key, finding);
                    }
                }
            }
#pragma warning disable CA1031 // The per-object boundary: a detector bug is logged and counted, the others still run.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref failures);
                Log.DetectorFailed(logger, exception, detector.Name, obj.Ref.Cluster, obj.Ref.Kind, obj.Ref.Namespace, obj.Ref.Name);
            }
        }
    }
}
