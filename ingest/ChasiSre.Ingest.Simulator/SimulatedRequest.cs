namespace ChasiSre.Ingest.Simulator;

/// <summary>A request as the simulator classified it; what fault rules match on.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">URL path.</param>
/// <param name="Query">Query string including the leading <c>?</c>, or empty.</param>
/// <param name="Verb">List, watch, get, log, discovery, health or other.</param>
/// <param name="Resource">Group-qualified resource (<c>pods</c>, <c>deployments.apps</c>), or null for non-resource paths.</param>
/// <param name="Namespace">Namespace in the path, if any.</param>
/// <param name="Name">Object name in the path, if any.</param>
public sealed record SimulatedRequest(
    string Method,
    string Path,
    string Query,
    SimulatorVerb Verb,
    string? Resource,
    string? Namespace,
    string? Name);
