using System.Globalization;
using ChasiSre.Ingest.Metrics;
using ChasiSre.Schemas.V1;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Ingest.Scenarios;

/// <summary>
/// A scenario's metric and business steps as the records ingest and the adapter gateway publish for them: a
/// <see cref="PublishMetrics"/> becomes one <see cref="MetricSample"/> (series text by <see cref="MetricSeries.Format"/>,
/// subject the Pod (<c>namespace</c> + <c>pod</c> labels), Node (<c>node</c>) or Service (<c>namespace</c> + <c>service</c>)
/// of the named cluster with ingest's tenant rules, every sample at its own absolute time); a <see cref="PublishBusiness"/>
/// becomes a status record at the step's time and one record per event and log line at theirs, about the business system
/// <c>{cluster: tenant, tenant, layer BUSINESS, kind BusinessSystem, name: adapter}</c> as the SDK reports it.
/// </summary>
public static class ScenarioTelemetry
{
    /// <summary>The metric record of one metric step entry.</summary>
    /// <exception cref="ScenarioValidationException">The entry names a cluster the scenario does not declare.</exception>
    public static MetricSample Metric(Scenario scenario, PublishMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(metrics);
        var (identity, tenants) = Identity(scenario, metrics.Cluster);
        var labels = metrics.Labels;
        var sample = new MetricSample
        {
            Name = metrics.Name,
            Series = MetricSeries.Format(metrics.Name, labels),
            Subject = Subject(identity, tenants, labels),
        };
        foreach (var (name, value) in labels)
        {
            sample.Labels[name] = value;
        }

        foreach (var point in metrics.Samples)
        {
            sample.Points.Add(new MetricSample.Types.Point { At = Timestamp.FromDateTimeOffset(point.Timestamp), Value = point.Value });
        }

        return sample;
    }

    /// <summary>The business records of one business step entry, in time order.</summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="business">The entry.</param>
    public static IReadOnlyList<BusinessRecord> Business(Scenario scenario, PublishBusiness business)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(business);
        var subject = new ObjectRef
        {
            Cluster = business.Cluster,
            Tenant = business.Cluster,
            Layer = Layer.Business,
            ApiVersion = "business.chasi.io/v1",
            Kind = "BusinessSystem",
            Name = business.Adapter,
        };
        var stepAt = scenario.StartTime + business.At;
        var prefix = string.Create(CultureInfo.InvariantCulture, $"{scenario.Name}/{business.Cluster}/{business.Adapter}/{business.At.TotalSeconds}");
        var records = new List<BusinessRecord>();
        if (business.Status is { } status)
        {
            var proto = new Schemas.V1.BusinessStatus { Healthy = status.Healthy, Summary = status.Summary ?? "" };
            foreach (var (name, value) in status.Metrics)
            {
                proto.Metrics[name] = value;
            }

            records.Add(Record(business.Adapter, subject, stepAt, $"{prefix}/status", r => r.Status = proto));
        }

        for (var i = 0; i < business.Events.Count; i++)
        {
            var e = business.Events[i];
            records.Add(Record(business.Adapter, subject, e.Timestamp, $"{prefix}/event/{i}", r => r.Event = new Schemas.V1.BusinessEvent { Type = e.Type, Reason = e.Reason, Message = e.Message }));
        }

        for (var i = 0; i < business.Logs.Count; i++)
        {
            var l = business.Logs[i];
            records.Add(Record(business.Adapter, subject, l.Timestamp, $"{prefix}/log/{i}", r => r.Log = new LogRecord
            {
                Source = subject.Clone(),
                At = Timestamp.FromDateTimeOffset(l.Timestamp),
                Level = Level(l.Level),
                Message = l.Message,
                Id = $"{prefix}/log/{i}",
            }));
        }

        return [.. records.OrderBy(r => r.At.ToDateTimeOffset())];
    }

    private static BusinessRecord Record(string adapter, ObjectRef subject, DateTimeOffset at, string id, Action<BusinessRecord> fill)
    {
        var record = new BusinessRecord { Adapter = adapter, Subject = subject.Clone(), At = Timestamp.FromDateTimeOffset(at), Id = id };
        fill(record);
        return record;
    }

    private static Schemas.V1.LogLevel Level(string level) => level.ToUpperInvariant() switch
    {
        "TRACE" => Schemas.V1.LogLevel.Trace,
        "DEBUG" => Schemas.V1.LogLevel.Debug,
        "INFO" or "INFORMATION" => Schemas.V1.LogLevel.Info,
        "WARN" or "WARNING" => Schemas.V1.LogLevel.Warn,
        "ERROR" => Schemas.V1.LogLevel.Error,
        "FATAL" or "CRITICAL" => Schemas.V1.LogLevel.Fatal,
        _ => Schemas.V1.LogLevel.Unspecified,
    };

    private static ObjectRef? Subject(ClusterIdentity identity, TenantResolver tenants, IReadOnlyDictionary<string, string> labels)
    {
        string TenantOf(string ns) => identity.Layer == Layer.Host ? tenants.TenantOfHostNamespace(ns) : identity.Tenant;

        if (labels.TryGetValue("namespace", out var ns) && labels.TryGetValue("pod", out var pod))
        {
            return identity.Ref("v1", "Pod", ns, pod, null, TenantOf(ns));
        }

        if (labels.TryGetValue("namespace", out ns) && labels.TryGetValue("service", out var service))
        {
            return identity.Ref("v1", "Service", ns, service, null, TenantOf(ns));
        }

        return labels.TryGetValue("node", out var node)
            ? identity.Ref("v1", "Node", null, node, null, identity.Layer == Layer.Host ? "" : identity.Tenant)
            : null;
    }

    private static (ClusterIdentity Identity, TenantResolver Tenants) Identity(Scenario scenario, string cluster)
    {
        var tenants = new TenantResolver(null);
        foreach (var vcluster in scenario.Clusters.Where(c => c.VCluster is not null))
        {
            tenants.SetVCluster(vcluster.VCluster!.HostNamespace, vcluster.Name, vcluster.Name);
        }

        if (cluster == ScenarioCluster.HostName)
        {
            return (ClusterIdentity.Host(ScenarioCluster.HostName), tenants);
        }

        var declared = scenario.Clusters.FirstOrDefault(c => c.Name == cluster && c.VCluster is not null)
            ?? throw new ScenarioValidationException($"{scenario.Name}: cluster '{cluster}' of a metric entry is not declared.");
        return (ClusterIdentity.VCluster(declared.Name, declared.Name, ScenarioCluster.HostName, declared.VCluster!.HostNamespace), tenants);
    }
}
