using System.Text.RegularExpressions;

namespace ChasiSre.Api;

/// <summary>
/// The tenants an API caller may see: every tenant (and platform-level data) for a <c>*</c> token, else a fixed list.
/// A scoped caller sees an incident when its tenant is in the list, or when it is a platform-level incident
/// (no tenant) that affects a tenant in the list.
/// </summary>
public sealed partial class TenantScope
{
    /// <summary>The tenant entry that grants every tenant.</summary>
    public const string Wildcard = "*";

    private TenantScope(IReadOnlySet<string>? tenants) => Tenants = tenants;

    /// <summary>Every tenant.</summary>
    public static TenantScope All { get; } = new(null);

    /// <summary>The visible tenants; <see langword="null"/> for every tenant.</summary>
    public IReadOnlySet<string>? Tenants { get; }

    /// <summary>Whether the scope has every tenant.</summary>
    public bool IsAll => Tenants is null;

    /// <summary>The only tenant of a single-tenant scope, else <see langword="null"/>.</summary>
    public string? SingleTenant => Tenants is { Count: 1 } one ? one.First() : null;

    /// <summary>The scope of a token's tenant list (<c>["*"]</c> for every tenant).</summary>
    public static TenantScope Of(IEnumerable<string> tenants)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        var set = new HashSet<string>(tenants, StringComparer.Ordinal);
        return set.Contains(Wildcard) ? All : new TenantScope(set);
    }

    /// <summary>Whether <paramref name="tenant"/>'s data is visible.</summary>
    public bool Allows(string tenant) => Tenants is null || Tenants.Contains(tenant);

    /// <summary>Whether <paramref name="tenant"/> is a DNS-1123 label (the tenant names of the pipeline).</summary>
    public static bool IsValidTenant(string? tenant) => tenant is { Length: > 0 and <= 63 } && TenantPattern().IsMatch(tenant);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex TenantPattern();
}
