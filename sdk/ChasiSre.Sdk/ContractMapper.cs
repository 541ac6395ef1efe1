using System.Security.Cryptography;
using System.Text;
using ChasiSre.Schemas.V1;
using Google.Protobuf.WellKnownTypes;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace ChasiSre.Sdk;

/// <summary>Maps the SDK's records to the wire contracts (one place, used by pull and push mode).</summary>
internal static class ContractMapper
{
    /// <summary>API version and kind of the subject of every business record.</summary>
    public const string SubjectApiVersion = "business.chasi.io/v1";
    public const string SubjectKind = "BusinessSystem";

    public static ObjectRef Subject(AdapterOptions options) => new()
    {
        Cluster = options.Cluster,
        Tenant = options.Tenant,
        Layer = Layer.Business,
        ApiVersion = SubjectApiVersion,
        Kind = SubjectKind,
        Namespace = options.Namespace,
        Name = options.SystemName.Length > 0 ? options.SystemName : options.Name,
    };

    public static BusinessStatus ToProto(StatusSnapshot status, AdapterOptions options)
    {
        var result = new BusinessStatus { Healthy = status.Healthy, Summary = status.Summary ?? "" };
        foreach (var (name, value) in status.Metrics)
        {
            if (double.IsFinite(value))
            {
                result.Metrics[name] = value;
            }
        }

        foreach (var dependency in status.DependsOn)
        {
            // The layer (host or virtual) is the gateway's to decide: it knows where the pod runs.
            result.DependsOn.Add(new ObjectRef
            {
                Cluster = options.Cluster,
                Tenant = options.Tenant,
                ApiVersion = dependency.ApiVersion,
                Kind = dependency.Kind,
                Namespace = dependency.Namespace,
                Name = dependency.Name,
            });
        }

        return result;
    }

    public static LogRecord ToProto(LogEntry entry, string adapter, int maxMessageLength)
    {
        var message = entry.Message ?? "";
        var truncated = message.Length > maxMessageLength;
        if (truncated)
        {
            message = message[..maxMessageLength];
        }

        var record = new LogRecord
        {
            At = Timestamp.FromDateTimeOffset(entry.At),
            Level = ToProto(entry.Level),
            Message = message,
            Truncated = truncated,
            Id = StableId(adapter, "log", entry.At.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture), entry.Message ?? ""),
        };
        AddAll(record.Attributes, entry.Attributes);
        return record;
    }

    public static LogLevel FromProto(Schemas.V1.LogLevel level) => level switch
    {
        Schemas.V1.LogLevel.Trace => LogLevel.Trace,
        Schemas.V1.LogLevel.Debug => LogLevel.Debug,
        Schemas.V1.LogLevel.Info => LogLevel.Information,
        Schemas.V1.LogLevel.Warn => LogLevel.Warning,
        Schemas.V1.LogLevel.Error => LogLevel.Error,
        Schemas.V1.LogLevel.Fatal => LogLevel.Critical,
        _ => LogLevel.None,
    };

    public static Schemas.V1.LogLevel ToProto(LogLevel level) => level switch
    {
        LogLevel.Trace => Schemas.V1.LogLevel.Trace,
        LogLevel.Debug => Schemas.V1.LogLevel.Debug,
        LogLevel.Information => Schemas.V1.LogLevel.Info,
        LogLevel.Warning => Schemas.V1.LogLevel.Warn,
        LogLevel.Error => Schemas.V1.LogLevel.Error,
        LogLevel.Critical => Schemas.V1.LogLevel.Fatal,
        _ => Schemas.V1.LogLevel.Unspecified,
    };

    public static BusinessEvent ToProtoEvent(EventEntry entry)
    {
        var result = new BusinessEvent { Type = TypeName(entry.Type), Reason = entry.Reason ?? "", Message = entry.Message ?? "" };
        AddAll(result.Attributes, entry.Attributes);
        return result;
    }

    public static Schemas.V1.AdapterEvent ToProto(EventEntry entry, string adapter) => new()
    {
        Id = EventId(entry, adapter),
        At = Timestamp.FromDateTimeOffset(entry.At),
        Event = ToProtoEvent(entry),
    };

    public static string EventId(EventEntry entry, string adapter) =>
        string.IsNullOrEmpty(entry.Id)
            ? StableId(adapter, "event", entry.At.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture), entry.Reason ?? "", entry.Message ?? "")
            : entry.Id;

    public static string TypeName(BusinessEventType type) => type switch
    {
        BusinessEventType.Warning => "Warning",
        BusinessEventType.Error => "Error",
        _ => "Normal",
    };

    public static bool TryParseType(string name, out BusinessEventType type)
    {
        foreach (var candidate in (ReadOnlySpan<BusinessEventType>)[BusinessEventType.Normal, BusinessEventType.Warning, BusinessEventType.Error])
        {
            if (string.Equals(name, TypeName(candidate), StringComparison.OrdinalIgnoreCase))
            {
                type = candidate;
                return true;
            }
        }

        type = default;
        return false;
    }

    public static Runbook ToProto(RunbookInfo runbook)
    {
        var result = new Runbook { Id = runbook.Id ?? "", Title = runbook.Title ?? "", Body = runbook.Body ?? "" };
        result.Tags.Add(runbook.Tags);
        return result;
    }

    public static RunbookOutcome ToProto(RunbookResultKind kind) => kind switch
    {
        RunbookResultKind.Succeeded => RunbookOutcome.Succeeded,
        RunbookResultKind.Failed => RunbookOutcome.Failed,
        RunbookResultKind.Rejected => RunbookOutcome.Rejected,
        _ => RunbookOutcome.Unspecified,
    };

    public static void AddAll(Google.Protobuf.Collections.MapField<string, string> target, IReadOnlyDictionary<string, string>? values)
    {
        if (values is null)
        {
            return;
        }

        foreach (var (key, value) in values)
        {
            target[key] = value ?? "";
        }
    }

    /// <summary>A stable record id: the first 128 bits of SHA-256 over the parts, in hex.</summary>
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
