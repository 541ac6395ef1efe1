using System.ComponentModel.DataAnnotations;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.K8sGpt;

/// <summary>One k8sgpt custom analyzer to poll, and the cluster whose objects it reports on.</summary>
public sealed class CustomAnalyzerOptions : IValidatableObject
{
    /// <summary>Unique name (DNS label); signals carry it in <c>detector</c> (<c>k8sgpt.custom.&lt;name&gt;</c>).</summary>
    [Required]
    [RegularExpression("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    public string Name { get; set; } = "";

    /// <summary>The analyzer's gRPC address, <c>http://host:port</c> (h2c) or <c>https://host:port</c>.</summary>
    [Required]
    public Uri? Address { get; set; }

    /// <summary>Time between successful runs.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest a Run may take (connecting included) before it counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The cluster the analyzer looks at: the host cluster's name, or the vCluster's name.</summary>
    [Required]
    [MinLength(1)]
    public string Cluster { get; set; } = "";

    /// <summary>The tenant its objects belong to (inside a vCluster: the vCluster's tenant); empty on the host.</summary>
    public string Tenant { get; set; } = "";

    /// <summary>For a vCluster: the host cluster it runs on. Empty for a host cluster.</summary>
    public string HostCluster { get; set; } = "";

    /// <summary>For a vCluster: the host namespace of its control plane. Set means <see cref="Cluster"/> is a vCluster.</summary>
    public string HostNamespace { get; set; } = "";

    /// <summary>The identity subjects are built next to: cluster, tenant, layer and host fields.</summary>
    public ObjectRef Identity() => new()
    {
        Cluster = Cluster,
        Tenant = Tenant,
        Layer = HostNamespace.Length > 0 ? Layer.Virtual : Layer.Host,
        HostCluster = HostCluster.Length > 0 ? HostCluster : Cluster,
        HostNamespace = HostNamespace,
    };

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Address is { } address && (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult($"Analyzer {Name}: {nameof(Address)} must be an absolute http:// or https:// URI, not '{address}'.", [nameof(Address)]);
        }

        if (HostNamespace.Length > 0 && HostCluster.Length == 0)
        {
            yield return new ValidationResult($"Analyzer {Name}: a vCluster ({nameof(HostNamespace)} set) needs {nameof(HostCluster)}.", [nameof(HostCluster)]);
        }
    }
}
