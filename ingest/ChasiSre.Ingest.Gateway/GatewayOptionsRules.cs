using Microsoft.Extensions.Options;

namespace ChasiSre.Ingest.Gateway;

/// <summary>The rules of <see cref="GatewayOptions"/> that span properties.</summary>
public sealed class GatewayOptionsRules : IValidateOptions<GatewayOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MinInterval > options.DefaultInterval)
        {
            failures.Add($"MinInterval ({options.MinInterval}) is longer than DefaultInterval ({options.DefaultInterval}).");
        }

        if (options.CallTimeout >= options.MinInterval)
        {
            failures.Add($"CallTimeout ({options.CallTimeout}) must be shorter than MinInterval ({options.MinInterval}): a poll must end before the next is due.");
        }

        if (options.BreakerMaxOpenDuration < options.BreakerOpenDuration)
        {
            failures.Add("BreakerMaxOpenDuration is shorter than BreakerOpenDuration.");
        }

        if (options.MaxBackoff < options.MinBackoff)
        {
            failures.Add("MaxBackoff is shorter than MinBackoff.");
        }

        if (!string.IsNullOrEmpty(options.Tenant) && string.IsNullOrEmpty(options.HostNamespace))
        {
            failures.Add("Distributed mode (Tenant set) needs HostNamespace, the vCluster's host namespace.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
