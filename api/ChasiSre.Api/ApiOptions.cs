using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ChasiSre.Api;

/// <summary>Options of the HTTP API (section <c>Api</c>), validated on start.</summary>
public sealed class ApiOptions : IValidatableObject
{
    public const string SectionName = "Api";

    /// <summary>Default largest request body: 1 MiB.</summary>
    public const long DefaultMaxRequestBodyBytes = 1024 * 1024;

    /// <summary>
    /// The bearer tokens that may call <c>/api/v1</c>, each stored as the SHA-256 of the token (never the token itself)
    /// with the tenants it may see. No token configured: every call is refused with 401.
    /// </summary>
    [ValidateEnumeratedItems]
    public List<ApiTokenOptions> Tokens { get; init; } = [];

    /// <summary>Largest request body accepted; larger bodies get 413.</summary>
    [Range(1024, 64L * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;

    /// <summary>Page size of list endpoints when <c>limit</c> is not given.</summary>
    [Range(1, 10_000)]
    public int DefaultPageSize { get; set; } = 50;

    /// <summary>Largest <c>limit</c> a list endpoint accepts (larger values are refused with 400).</summary>
    [Range(1, 10_000)]
    public int MaxPageSize { get; set; } = 500;

    /// <summary>Largest <c>k</c> of a knowledge search.</summary>
    [Range(1, 200)]
    public int MaxKnowledgeResults { get; set; } = 50;

    /// <summary>Serve the web view under <c>/ui/</c> (static files; every datum it shows comes from <c>/api/v1</c> with the user's token).</summary>
    public bool WebView { get; set; } = true;

    [ValidateObjectMembers]
    public ApiRateLimitOptions RateLimit { get; init; } = new();

    [ValidateObjectMembers]
    public AlertmanagerOptions Alertmanager { get; init; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DefaultPageSize > MaxPageSize)
        {
            yield return new ValidationResult($"{nameof(DefaultPageSize)} ({DefaultPageSize}) exceeds {nameof(MaxPageSize)} ({MaxPageSize}).", [nameof(DefaultPageSize)]);
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var hashes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Tokens.Count; i++)
        {
            var token = Tokens[i];
            if (token.Name is { Length: > 0 } name && !names.Add(name))
            {
                yield return new ValidationResult($"Tokens[{i}].Name '{name}' is used by another token.", [nameof(Tokens)]);
            }

            if (token.Sha256 is { Length: > 0 } hash && !hashes.Add(hash))
            {
                yield return new ValidationResult($"Tokens[{i}].Sha256 is the hash of another token.", [nameof(Tokens)]);
            }
        }
    }
}
