using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Sdk;

/// <summary>Identity of the adapter and the limits of its pull endpoints.</summary>
public sealed class AdapterOptions
{
    public const string SectionName = "ChasiSre:Adapter";

    /// <summary>Adapter name (<c>BusinessRecord.adapter</c>): lower-case DNS label, e.g. <c>orders</c>.</summary>
    [Required]
    [RegularExpression("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    public string Name { get; set; } = "";

    /// <summary>
    /// Bearer token callers must present. Mount it from the Secret named in the
    /// <c>chasi.io/adapter-token-secret</c> annotation; <see cref="TokenFile"/> is read instead when set.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>File holding the bearer token (a mounted Secret key); re-read when it changes.</summary>
    public string? TokenFile { get; set; }

    /// <summary>Serve without authentication (local development only). Off by default: then a token is required.</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Largest request body accepted, in bytes (HTTP 413 / RESOURCE_EXHAUSTED above it).</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 64 * 1024;

    /// <summary>Largest response, in bytes. Log and event lists are cut to fit (<c>truncated</c>); other responses fail.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxResponseBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Most log lines or events one call returns.</summary>
    [Range(1, 100_000)]
    public int MaxItems { get; set; } = 1000;

    /// <summary>Log lines longer than this are cut and marked truncated.</summary>
    [Range(64, 1024 * 1024)]
    public int MaxLogMessageLength { get; set; } = 8 * 1024;

    /// <summary>Time one operation may take; then the caller gets DEADLINE_EXCEEDED / HTTP 504 and the adapter's token is cancelled.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Configuration keys whose values are replaced by <c>[redacted]</c> (case-insensitive substrings).
    /// Values that embed credentials in a URL (<c>scheme://user:password@host</c>) are redacted too.
    /// </summary>
    public IList<string> SecretKeyPatterns { get; init; } =
        ["password", "passwd", "secret", "token", "apikey", "api_key", "api-key", "credential", "private", "connectionstring"];

    /// <summary>Tenant of the business system (push mode): must match the tenant of the Kafka credentials.</summary>
    public string Tenant { get; set; } = "";

    /// <summary>Cluster (vCluster) name the adapter runs in, for the record's subject.</summary>
    public string Cluster { get; set; } = "";

    /// <summary>Namespace the business system runs in, for the record's subject.</summary>
    public string Namespace { get; set; } = "";

    /// <summary>Name of the business system (subject name); the adapter name when empty.</summary>
    public string SystemName { get; set; } = "";
}
