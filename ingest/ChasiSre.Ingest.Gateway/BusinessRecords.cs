using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Ingest.Gateway;

/// <summary>
/// Turns adapter responses into <see cref="BusinessRecord"/>s. The subject's cluster, tenant and layer
/// are the gateway's (from where the adapter runs), whatever the adapter says; ids are stable (the same
/// event, line or runbook read twice gets the same id), so consumers deduplicate.
/// </summary>
public static class BusinessRecords
{
    /// <summary>API version and kind of every business subject (the SDK's, so pull and push mode agree).</summary>
    public const string SubjectApiVersion = "business.chasi.io/v1";

    /// <summary>Kind of every business subject.</summary>
    public const string SubjectKind = "BusinessSystem";

    /// <summary>The business system an adapter named <paramref name="adapter"/> reports on, in the adapter's cluster and namespace.</summary>
    public static ObjectRef Subject(ObjectRef source, string adapter)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new ObjectRef
        {
            Cluster = source.Cluster,
            Tenant = source.Tenant,
            Layer = Layer.Business,
            ApiVersion = SubjectApiVersion,
            Kind = SubjectKind,
            Namespace = source.Namespace,
            Name = adapter,
            HostCluster = source.HostCluster,
            HostNamespace = source.HostNamespace,
        };
    }

    /// <summary>The key on <c>chasi.business.v1</c>: <c>tenant/adapter</c>.</summary>
    public static string Key(ObjectRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return subject.Tenant + "/" + subject.Name;
    }

    /// <summary>The status record; dependencies are placed in the adapter's cluster (the adapter cannot name another tenant's objects).</summary>
    public static BusinessRecord Status(ObjectRef subject, ObjectRef source, BusinessStatus status, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(status);
        var copy = status.Clone();
        foreach (var dependency in copy.DependsOn)
        {
            dependency.Cluster = source.Cluster;
            dependency.Tenant = source.Tenant;
            dependency.Layer = source.Layer;
            dependency.HostCluster = source.HostCluster;
            dependency.HostNamespace = source.HostNamespace;
            dependency.Twin = null;
        }

        return new BusinessRecord
        {
            Adapter = subject.Name,
            Subject = subject,
            At = Timestamp.FromDateTimeOffset(at),
            Id = StableId(RecordKeys.ForObject(subject), "status", at.UtcTicks.ToString(CultureInfo.InvariantCulture)),
            Status = copy,
        };
    }

    /// <summary>An event record, id from the adapter's event id.</summary>
    public static BusinessRecord Event(ObjectRef subject, AdapterEvent item)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(item);
        return new BusinessRecord
        {
            Adapter = subject.Name,
            Subject = subject,
            At = item.At,
            Id = StableId(RecordKeys.ForObject(subject), "event", item.Id),
            Event = item.Event,
        };
    }

    /// <summary>A log record; its source is the adapter's Pod or Service.</summary>
    public static BusinessRecord Log(ObjectRef subject, ObjectRef source, LogRecord line)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(line);
        var copy = line.Clone();
        copy.Source = source;
        copy.Id = StableId(RecordKeys.ForObject(subject), "log", line.Id.Length > 0 ? line.Id : line.At.ToDiagnosticString() + "\n" + line.Message);
        return new BusinessRecord { Adapter = subject.Name, Subject = subject, At = line.At, Id = copy.Id, Log = copy };
    }

    /// <summary>A runbook record; the id changes when the runbook does.</summary>
    public static BusinessRecord Runbook(ObjectRef subject, Runbook runbook, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(runbook);
        return new BusinessRecord
        {
            Adapter = subject.Name,
            Subject = subject,
            At = Timestamp.FromDateTimeOffset(at),
            Id = StableId(RecordKeys.ForObject(subject), "runbook", runbook.Id, runbook.Title, runbook.Body, string.Join('\n', runbook.Tags)),
            Runbook = runbook,
        };
    }

    /// <summary>The first 128 bits of SHA-256 over the parts (each followed by a zero byte), in hex.</summary>
    public static string StableId(params ReadOnlySpan<string> parts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in parts)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(part));
            hash.AppendData([0]);
        }

        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return Convert.ToHexStringLower(digest[..16]);
    }
}
