namespace ChasiSre.Ingest.Gateway;

/// <summary>Reads adapters' bearer tokens from their Secrets.</summary>
public interface IAdapterTokenSource
{
    /// <summary>The token in <paramref name="secret"/>; with <paramref name="refresh"/>, read again instead of from the cache.</summary>
    ValueTask<TokenLookup> GetAsync(SecretReference secret, bool refresh, CancellationToken cancellationToken = default);
}
