using System.Text.Json;

namespace ChasiSre.Ingest;

/// <summary>One page of a list response; the items live in the parsed document until disposed.</summary>
public sealed class KubeListPage : IDisposable
{
    private readonly JsonDocument? document;

    /// <summary>Creates a page over a parsed list document.</summary>
    public KubeListPage(JsonDocument? document, IReadOnlyList<JsonElement> items, string resourceVersion, string? continueToken)
    {
        this.document = document;
        Items = items;
        ResourceVersion = resourceVersion;
        Continue = continueToken;
    }

    /// <summary>The objects (the server does not set <c>apiVersion</c>/<c>kind</c> on list items). Valid until disposed.</summary>
    public IReadOnlyList<JsonElement> Items { get; }

    /// <summary>The list's resourceVersion: where a watch resumes after the last page.</summary>
    public string ResourceVersion { get; }

    /// <summary>The token of the next page, or null on the last page.</summary>
    public string? Continue { get; }

    /// <inheritdoc />
    public void Dispose() => document?.Dispose();
}
