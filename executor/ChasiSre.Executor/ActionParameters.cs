using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ChasiSre.Schemas;

namespace ChasiSre.Executor;

/// <summary>
/// Checks an action's parameters against the <see cref="RemediationCatalog"/>: exactly the names the catalog
/// lists, none missing or extra, each well-formed for its type.
/// </summary>
public static partial class ActionParameters
{
    /// <summary>The most replicas a <c>scale</c> may ask for.</summary>
    public const int MaxReplicas = 1000;

    /// <summary>The largest ConfigMap value a <c>patch-configmap</c> may write (the apiserver's limit for a whole ConfigMap).</summary>
    public const int MaxValueBytes = 1024 * 1024;

    /// <summary>Every problem with <paramref name="parameters"/> for <paramref name="action"/>; empty when they are valid.</summary>
    public static IReadOnlyList<string> Validate(RemediationAction action, IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(parameters);
        var errors = new List<string>();
        foreach (var name in action.Parameters.Where(n => !parameters.ContainsKey(n)))
        {
            errors.Add($"{action.Name} needs parameter '{name}'");
        }

        foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!action.Parameters.Contains(name))
            {
                errors.Add(action.Parameters.Count == 0
                    ? $"{action.Name} takes no parameters (got '{name}')"
                    : $"{action.Name} does not take parameter '{name}' (it takes {string.Join(", ", action.Parameters)})");
                continue;
            }

            if (Check(name, value ?? "") is { } problem)
            {
                errors.Add($"parameter '{name}': {problem}");
            }
        }

        return errors;
    }

    private static string? Check(string name, string value) => name switch
    {
        "replicas" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var replicas) && replicas <= MaxReplicas
            ? null
            : $"'{Shorten(value)}' is not a whole number from 0 to {MaxReplicas}",
        "key" => value.Length is > 0 and <= 253 && ConfigMapKey().IsMatch(value)
            ? null
            : $"'{Shorten(value)}' is not a valid ConfigMap key (1-253 characters of letters, digits, '-', '_' and '.')",
        "value" => Encoding.UTF8.GetByteCount(value) <= MaxValueBytes ? null : $"the value is larger than {MaxValueBytes} bytes",
        "runbook" => RunbookId().IsMatch(value) ? null : $"'{Shorten(value)}' is not a runbook id (1-253 characters of letters, digits, '.', '_', ':', '/' and '-')",
        _ => value.Length > 0 ? null : "must not be empty",
    };

    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "…";

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex ConfigMapKey();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:/-]{0,252}$")]
    private static partial Regex RunbookId();
}
