namespace ChasiSre.Api;

/// <summary>
/// The decision record the API published to <c>chasi.actions.v1</c> (acknowledged by Kafka). A repeated decision of
/// the same person on the same action answers the first one's record again, and publishes nothing.
/// </summary>
/// <param name="Phase"><c>approved</c>, <c>rejected</c> or <c>rollback_requested</c>.</param>
/// <param name="Actor"><c>user:&lt;token name&gt;</c>.</param>
/// <param name="Sequence">The record's sequence in the action's trail.</param>
public sealed record ActionDecisionResponse(string ActionId, string Phase, int Sequence, string Actor, string Reason, DateTimeOffset At, string Topic);
