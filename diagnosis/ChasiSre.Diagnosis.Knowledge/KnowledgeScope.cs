using System.Text.RegularExpressions;

namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>
/// The documents one query may see: every shared document plus the private documents of
/// <see cref="Tenant"/>. Stores apply it inside their query (Lucene filter, Qdrant payload filter,
/// the embedded store's scan), never after the top-k cut.
/// </summary>
public sealed partial record KnowledgeScope
{
    /// <summary>The tenant value stored for platform-wide documents; not a valid tenant name.</summary>
    public const string SharedTenant = "shared";

    private KnowledgeScope(string? tenant) => Tenant = tenant;

    /// <summary>Shared documents only.</summary>
    public static KnowledgeScope SharedOnly { get; } = new((string?)null);

    /// <summary>The tenant whose private documents are visible too; <see langword="null"/> for shared only.</summary>
    public string? Tenant { get; }

    /// <summary>Shared documents plus <paramref name="tenant"/>'s private ones (<see langword="null"/>: shared only).</summary>
    public static KnowledgeScope For(string? tenant)
    {
        if (tenant is null)
        {
            return SharedOnly;
        }

        ValidateTenant(tenant);
        return new KnowledgeScope(tenant);
    }

    /// <summary>Whether a chunk owned by <paramref name="tenant"/> with <paramref name="visibility"/> is visible.</summary>
    public bool Allows(string tenant, KnowledgeVisibility visibility) =>
        visibility == KnowledgeVisibility.Shared || (Tenant is not null && string.Equals(tenant, Tenant, StringComparison.Ordinal));

    /// <summary>Throws when <paramref name="tenant"/> is not a DNS-1123 label or is the reserved <c>shared</c>.</summary>
    public static void ValidateTenant(string tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        if (tenant.Length > 63 || !TenantPattern().IsMatch(tenant) || tenant == SharedTenant)
        {
            throw new ArgumentException($"Tenant '{tenant}' is not a DNS-1123 label (lowercase letters, digits, '-', at most 63) or is the reserved name '{SharedTenant}'.", nameof(tenant));
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex TenantPattern();
}
