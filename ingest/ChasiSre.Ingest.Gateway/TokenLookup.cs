namespace ChasiSre.Ingest.Gateway;

/// <summary>The result of reading an adapter's token: the token, or why there is none. <see cref="ToString"/> never shows the token.</summary>
/// <param name="Token">The bearer token, or null.</param>
/// <param name="Problem">Why there is no token (Secret or key missing, unreadable), or null.</param>
public sealed record TokenLookup(string? Token, string? Problem)
{
    /// <summary>No authentication configured for the adapter.</summary>
    public static TokenLookup None { get; } = new(null, null);

    /// <inheritdoc />
    public override string ToString() => Problem ?? (Token is null ? "no token" : "token [redacted]");
}
