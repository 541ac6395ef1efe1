using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Api;

/// <summary>One API token: its name (logs, rate-limit partition), the SHA-256 of its value, its tenant scope and its roles.</summary>
public sealed class ApiTokenOptions : IValidatableObject
{
    /// <summary>Who holds the token, e.g. <c>grafana</c> or <c>team-a-ci</c>; logged, never the token.</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$", ErrorMessage = "Name must be 1-63 letters, digits, '.', '_' or '-'.")]
    public string Name { get; set; } = "";

    /// <summary>Lowercase or uppercase hex of SHA-256 over the token's UTF-8 bytes (<see cref="ApiTokenHasher.Hash"/>, or <c>printf %s "$TOKEN" | sha256sum</c>).</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[0-9A-Fa-f]{64}$", ErrorMessage = "Sha256 must be the 64 hex digits of the token's SHA-256, not the token.")]
    public string Sha256 { get; set; } = "";

    /// <summary>The tenants the token may see and post alerts for (DNS-1123 labels), or exactly <c>["*"]</c> for every tenant and platform-level data.</summary>
    [MinLength(1, ErrorMessage = "Tenants must name at least one tenant, or \"*\".")]
    public List<string> Tenants { get; init; } = [];

    /// <summary>
    /// What the token may do besides reading: <c>viewer</c> (the default: read only) or <c>approver</c> (may also approve,
    /// reject and roll back actions of its tenants). An empty list means <c>viewer</c>.
    /// </summary>
    public List<string> Roles { get; init; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Tenants.Contains(TenantScope.Wildcard, StringComparer.Ordinal) && Tenants.Count > 1)
        {
            yield return new ValidationResult($"Token '{Name}': \"*\" must be the only entry of Tenants.", [nameof(Tenants)]);
        }

        foreach (var tenant in Tenants.Where(t => t != TenantScope.Wildcard && !TenantScope.IsValidTenant(t)))
        {
            yield return new ValidationResult($"Token '{Name}': tenant '{tenant}' is not a DNS-1123 label (lowercase letters, digits, '-', at most 63).", [nameof(Tenants)]);
        }

        foreach (var role in Roles.Where(r => !ApiRoles.IsKnown(r)))
        {
            yield return new ValidationResult($"Token '{Name}': role '{role}' is not one of {string.Join(", ", ApiRoles.All)}.", [nameof(Roles)]);
        }
    }
}
