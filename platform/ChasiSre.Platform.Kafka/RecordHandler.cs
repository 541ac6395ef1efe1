namespace ChasiSre.Platform.Kafka;

/// <summary>Handles one record; throwing means "not done" and the record is retried, then dead-lettered.</summary>
/// <typeparam name="T">The record value type.</typeparam>
public delegate ValueTask RecordHandler<T>(ConsumedRecord<T> record, CancellationToken cancellationToken)
    where T : class;
