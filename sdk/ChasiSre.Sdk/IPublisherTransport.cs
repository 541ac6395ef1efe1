namespace ChasiSre.Sdk;

/// <summary>Sends batches for <see cref="BusinessPublisher"/> (Kafka in production; a seam for failure tests).</summary>
internal interface IPublisherTransport : IDisposable
{
    /// <summary>Sends <paramref name="batch"/>; adds the records that were not delivered to <paramref name="failed"/> and returns the last error.</summary>
    Task<Exception?> SendAsync(IReadOnlyList<OutgoingRecord> batch, List<OutgoingRecord> failed, CancellationToken cancellationToken);
}
