using Microsoft.Extensions.AI;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>
/// The names one request must not reveal to the provider: clusters, tenants, namespaces, pods, nodes,
/// hosts. Put it into <see cref="ChatOptions.AdditionalProperties"/> under <see cref="PropertyName"/>
/// (or call <see cref="ApplyTo"/>); <c>UseRedaction()</c> replaces each name with a typed token such as
/// <c>&lt;tenant-1&gt;</c> and restores the real names in the answer. IPs and registry paths are found by
/// pattern and need not be listed.
/// </summary>
public sealed class RedactionContext
{
    /// <summary>Key in <see cref="ChatOptions.AdditionalProperties"/>.</summary>
    public const string PropertyName = "chasi.redaction";

    private readonly List<KeyValuePair<RedactionKind, string>> _names = [];

    /// <summary>Names added so far, in order.</summary>
    public IReadOnlyList<KeyValuePair<RedactionKind, string>> Names => _names;

    /// <summary>Adds names of one kind; blank names are ignored.</summary>
    public RedactionContext Add(RedactionKind kind, params IEnumerable<string?> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names)
        {
            if (!string.IsNullOrWhiteSpace(name))
            {
                _names.Add(new(kind, name.Trim()));
            }
        }

        return this;
    }

    /// <summary>Stores this context in the options (creating <see cref="ChatOptions.AdditionalProperties"/> when needed) and returns them.</summary>
    public ChatOptions ApplyTo(ChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AdditionalProperties ??= [];
        options.AdditionalProperties[PropertyName] = this;
        return options;
    }
}
