namespace ChasiSre.Api;

/// <summary>
/// The request the API published to <c>chasi.actions.v1</c> (acknowledged by Kafka): an <c>ActionRecord</c> with sequence
/// 0 that the executor answers with a step of its own, which then shows in the action's trail. A repeated request of the
/// same person on the same action answers the first one again, and publishes nothing.
/// </summary>
/// <param name="Decision"><c>approve</c>, <c>reject</c> or <c>rollback</c>.</param>
/// <param name="Phase">The phase requested: <c>approved</c>, <c>rejected</c> or <c>rollback_requested</c>.</param>
/// <param name="Actor"><c>user:&lt;token name&gt;</c>.</param>
/// <param name="At">The request's time (its record's <c>at</c>).</param>
public sealed record ActionDecisionResponse(string ActionId, string Decision, string Phase, string Actor, string Reason, DateTimeOffset At, string Topic);
