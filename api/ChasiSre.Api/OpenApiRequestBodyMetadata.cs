namespace ChasiSre.Api;

/// <summary>
/// Documents an endpoint's JSON request body in the OpenAPI document when the handler reads the body itself.
/// (<c>Accepts&lt;T&gt;()</c> would also make routing refuse other media types with a bare 415, before the handler can
/// answer with problem details.)
/// </summary>
internal sealed record OpenApiRequestBodyMetadata(Type Type, string Description, bool Required = true);
