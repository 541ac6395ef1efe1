using System.Text.Json.Nodes;

namespace ChasiSre.Ingest;

/// <summary>One page of a list response.</summary>
/// <param name="Items">The objects (the list's <c>apiVersion</c>/<c>kind</c> are not set on items by the server).</param>
/// <param name="ResourceVersion">The list's resourceVersion: where a watch resumes after the last page.</param>
/// <param name="Continue">The token of the next page, or null on the last page.</param>
public sealed record KubeListPage(IReadOnlyList<JsonObject> Items, string ResourceVersion, string? Continue);
