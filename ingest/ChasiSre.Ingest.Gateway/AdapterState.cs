using ChasiSre.Schemas.V1;

namespace ChasiSre.Ingest.Gateway;

/// <summary>What the gateway keeps per adapter between polls. Mutated by one poll at a time; the scheduler guards the rest.</summary>
internal sealed class AdapterState(AdapterEndpoint endpoint, IAdapterClient client, CircuitBreaker breaker)
{
    public AdapterEndpoint Endpoint { get; set; } = endpoint;

    public IAdapterClient Client { get; set; } = client;

    public CircuitBreaker Breaker { get; } = breaker;

    /// <summary>Bumped when the endpoint changes, so queued entries of the old schedule are dropped.</summary>
    public int Generation { get; set; }

    public bool Running { get; set; }

    public bool Removed { get; set; }

    /// <summary>Clients replaced while a poll used them; disposed when that poll ends.</summary>
    public List<IAdapterClient> Retired { get; } = [];

    /// <summary>End of the last window read completely: the next poll reads logs and events from here.</summary>
    public DateTimeOffset? Cursor { get; set; }

    public DateTimeOffset? RunbooksReadAt { get; set; }

    /// <summary>The active AdapterUnhealthy signal, or null.</summary>
    public Signal? Unhealthy { get; set; }

    public long Polls { get; set; }
}
