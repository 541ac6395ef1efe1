using System.Globalization;

namespace ChasiSre.Api;

/// <summary>Collects the problems of a request's query parameters, each named, for one 400 naming all of them.</summary>
internal sealed class QueryErrors
{
    private readonly Dictionary<string, string[]> errors = new(StringComparer.Ordinal);

    public bool Any => errors.Count > 0;

    public IReadOnlyDictionary<string, string[]> All => errors;

    public void Add(string field, string message) =>
        errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];

    /// <summary>A tenant name (DNS-1123 label), or null when absent.</summary>
    public string? Tenant(string field, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (!TenantScope.IsValidTenant(value))
        {
            Add(field, $"'{value}' is not a tenant name (DNS-1123 label: lowercase letters, digits, '-', at most 63)");
            return null;
        }

        return value;
    }

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>], or <paramref name="fallback"/> when absent.</summary>
    public int Integer(string field, string? value, int fallback, int min, int max)
    {
        if (value is null)
        {
            return fallback;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            Add(field, $"'{value}' is not an integer from {min} to {max}");
            return fallback;
        }

        return number;
    }

    /// <summary>One of <paramref name="allowed"/> (case-insensitive), returned as written in <paramref name="allowed"/>.</summary>
    public string? OneOf(string field, string? value, IReadOnlyList<string> allowed)
    {
        if (value is null)
        {
            return null;
        }

        var match = allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            Add(field, $"'{value}' is not one of {string.Join(", ", allowed)}");
        }

        return match;
    }

    public DateTimeOffset? Time(string field, string? value, DateTimeOffset now)
    {
        if (value is null)
        {
            return null;
        }

        if (!ApiInput.TryParseTime(value, now, out var at))
        {
            Add(field, $"'{value}' is neither an RFC 3339 timestamp (2025-01-31T08:00:00Z) nor a duration before now (30m, 2h, 7d)");
            return null;
        }

        return at;
    }
}
