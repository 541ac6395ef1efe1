namespace ChasiSre.Ingest.Gateway;

/// <summary>What discovery tells the scheduler. Thread-safe.</summary>
public interface IAdapterRegistry
{
    /// <summary>An adapter appeared or changed (address, transport, token secret, interval); unchanged endpoints are ignored.</summary>
    void Upsert(AdapterEndpoint endpoint);

    /// <summary>The adapter with this <see cref="AdapterEndpoint.Key"/> is gone.</summary>
    void Remove(string key);
}
