using System.Globalization;

namespace ChasiSre.Ingest.Gateway;

/// <summary>The pod and service annotations that make an adapter, and how their values are read.</summary>
public static class AdapterAnnotations
{
    /// <summary>Transport: <c>grpc</c> or <c>http</c>. Its presence makes the object an adapter.</summary>
    public const string Adapter = "chasi.io/adapter";

    /// <summary>Port of the adapter endpoint (a number; for a Service, the port's name is accepted too).</summary>
    public const string Port = "chasi.io/adapter-port";

    /// <summary>Secret in the object's namespace whose <c>token</c> key (or only key) is the bearer token.</summary>
    public const string TokenSecret = "chasi.io/adapter-token-secret";

    /// <summary>Optional: the key of the token in that Secret (default <c>token</c>).</summary>
    public const string TokenKey = "chasi.io/adapter-token-key";

    /// <summary>Optional: poll interval (<c>30s</c>, <c>2m</c>, <c>1h</c>, or a TimeSpan such as <c>00:00:30</c>).</summary>
    public const string Interval = "chasi.io/adapter-interval";

    /// <summary>The transport an annotation value names, or null.</summary>
    public static AdapterTransport? ParseTransport(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "grpc" => AdapterTransport.Grpc,
        "http" => AdapterTransport.Http,
        _ => null,
    };

    /// <summary>A duration written <c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1h</c> or as a TimeSpan; null when it is not one or not positive.</summary>
    public static TimeSpan? ParseInterval(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim();
        (string Suffix, double Seconds)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];
        foreach (var (suffix, seconds) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text[..^suffix.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
                && amount > 0 && double.IsFinite(amount))
            {
                return TimeSpan.FromSeconds(amount * seconds);
            }
        }

        return text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero ? span : null;
    }

    /// <summary>A TCP port number, or null.</summary>
    public static int? ParsePort(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536 ? port : null;
}
