namespace ChasiSre.Sdk;

/// <summary>A failure of the push publisher, as its listeners see it.</summary>
/// <remarks><c>RecordCount</c>: Records concerned (dropped, or about to be retried).</remarks>
/// <remarks><c>Attempt</c>: Attempt that failed (0 when not a send failure).</remarks>
public sealed record PublishFailure(PublishFailureKind Kind, int RecordCount, int Attempt, Exception? Exception);
