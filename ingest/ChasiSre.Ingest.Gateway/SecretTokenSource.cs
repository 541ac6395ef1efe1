using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace ChasiSre.Ingest.Gateway;

/// <summary>
/// Reads tokens with a GET of the named Secret (RBAC: <c>get</c> on secrets; no list or watch, so the
/// gateway never holds other Secrets' values), caches each for <see cref="GatewayOptions.TokenRefreshInterval"/>
/// and reads again at once when an adapter answers UNAUTHENTICATED (a rotated Secret). The value stays
/// in memory: it is never logged, published or put in an exception message.
/// </summary>
public sealed class SecretTokenSource : IAdapterTokenSource
{
    private readonly Func<KubeApiClient> client;
    private readonly TimeSpan refreshInterval;
    private readonly TimeProvider timeProvider;
    private readonly ConcurrentDictionary<SecretReference, (TokenLookup Lookup, DateTimeOffset ReadAt)> cache = new();

    /// <summary>Creates the source over the API of the cluster the Secrets live in.</summary>
    public SecretTokenSource(Func<KubeApiClient> client, TimeSpan refreshInterval, TimeProvider timeProvider)
    {
        this.client = client;
        this.refreshInterval = refreshInterval;
        this.timeProvider = timeProvider;
    }

    /// <inheritdoc />
    public async ValueTask<TokenLookup> GetAsync(SecretReference secret, bool refresh, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var now = timeProvider.GetUtcNow();
        if (!refresh && cache.TryGetValue(secret, out var cached) && now - cached.ReadAt < refreshInterval)
        {
            return cached.Lookup;
        }

        TokenLookup lookup;
        try
        {
            using var document = await client().GetAsync(KubeResources.Secrets, secret.Namespace, secret.Name, cancellationToken);
            lookup = document is null ? new TokenLookup(null, $"Secret {secret.DisplayName} not found") : Read(document.RootElement, secret);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or JsonException)
        {
            // The API could not say: keep using a token read before, if any; the next poll asks again.
            if (cache.TryGetValue(secret, out var stale) && stale.Lookup.Token is not null)
            {
                return stale.Lookup;
            }

            return new TokenLookup(null, $"Secret {secret.DisplayName} could not be read: {e.Message}");
        }

        cache[secret] = (lookup, now);
        return lookup;
    }

    /// <summary>Forgets cached tokens of Secrets no adapter uses any more.</summary>
    public void Retain(IReadOnlySet<SecretReference> used)
    {
        ArgumentNullException.ThrowIfNull(used);
        foreach (var key in cache.Keys)
        {
            if (!used.Contains(key))
            {
                cache.TryRemove(key, out _);
            }
        }
    }

    private static TokenLookup Read(JsonElement secret, SecretReference reference)
    {
        if (!secret.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            return new TokenLookup(null, $"Secret {reference.DisplayName} has no data");
        }

        JsonElement value = default;
        var found = false;
        if (reference.Key is { } key)
        {
            found = data.TryGetProperty(key, out value);
        }
        else if (data.TryGetProperty("token", out value))
        {
            found = true;
        }
        else
        {
            var properties = data.EnumerateObject().ToList();
            if (properties.Count == 1)
            {
                value = properties[0].Value;
                found = true;
            }
        }

        if (!found || value.ValueKind != JsonValueKind.String)
        {
            return new TokenLookup(null, $"Secret {reference.DisplayName} has no key {reference.Key ?? "token"}");
        }

        try
        {
            var token = Encoding.UTF8.GetString(Convert.FromBase64String(value.GetString()!)).Trim();
            return token.Length == 0 ? new TokenLookup(null, $"Secret {reference.DisplayName}: the token is empty") : new TokenLookup(token, null);
        }
        catch (FormatException)
        {
            return new TokenLookup(null, $"Secret {reference.DisplayName}: the token is not base64");
        }
    }
}
