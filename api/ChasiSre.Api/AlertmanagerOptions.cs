using System.ComponentModel.DataAnnotations;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Api;

/// <summary>How Alertmanager alerts become signals (section <c>Api:Alertmanager</c>).</summary>
public sealed class AlertmanagerOptions : IValidatableObject
{
    /// <summary>The cluster of an alert without a <c>cluster</c> label (the cluster the Prometheus behind it watches).</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[A-Za-z0-9]([A-Za-z0-9._-]{0,251}[A-Za-z0-9])?$", ErrorMessage = "DefaultCluster must be a cluster name (letters, digits, '.', '_', '-').")]
    public string DefaultCluster { get; set; } = "host";

    /// <summary>The layer of an alert without a <c>chasi_layer</c> label: Prometheus usually watches the host cluster.</summary>
    [EnumDataType(typeof(Layer))]
    public Layer DefaultLayer { get; set; } = Layer.Host;

    /// <summary>Most alerts one webhook call may carry; a larger call is refused with 400.</summary>
    [Range(1, 100_000)]
    public int MaxAlertsPerRequest { get; set; } = 1000;

    /// <summary>
    /// Categories of more alert names, by alertname (merged over the built-in ones, <see cref="AlertCategories"/>);
    /// values are incident categories (CrashLoop, OOMKilled, ...). A <c>chasi_category</c> label on the alert wins over both.
    /// </summary>
    public Dictionary<string, string> Categories { get; init; } = new(StringComparer.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (alertName, category) in Categories)
        {
            if (!AlertCategories.IsCategory(category))
            {
                yield return new ValidationResult(
                    $"Categories['{alertName}']: '{category}' is not an incident category ({string.Join(", ", AlertCategories.Known)}).", [nameof(Categories)]);
            }
        }
    }
}
