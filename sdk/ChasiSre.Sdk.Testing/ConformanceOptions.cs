using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Sdk.Testing;

/// <summary>What to check and how strictly.</summary>
public sealed class ConformanceOptions
{
    /// <summary>Base address of the adapter, e.g. <c>http://orders.shop:8080</c>.</summary>
    [Required]
    public Uri? Url { get; set; }

    /// <summary>Bearer token the adapter accepts; without it, only the auth checks can pass.</summary>
    public string? Token { get; set; }

    public AdapterTransport Transport { get; set; } = AdapterTransport.Http;

    /// <summary>Time each operation may take (the gateway's per-call timeout).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest response accepted (the gateway's limit).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxResponseBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Size of the oversized request the limit check sends; adapters must refuse it.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int OversizedRequestBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Clock for the query windows.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;
}
