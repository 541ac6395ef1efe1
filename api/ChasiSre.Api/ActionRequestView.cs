namespace ChasiSre.Api;

/// <summary>
/// A person's request on an action that the executor has not answered yet (an <c>ActionRecord</c> with sequence 0):
/// the action stays in its phase until the executor's own step arrives.
/// </summary>
/// <param name="Decision"><c>approve</c>, <c>reject</c> or <c>rollback</c>.</param>
/// <param name="Phase">The phase requested: <c>approved</c>, <c>rejected</c> or <c>rollback_requested</c>.</param>
/// <param name="Actor"><c>user:&lt;token name&gt;</c>.</param>
public sealed record ActionRequestView(string Decision, string Phase, string Actor, string Reason, DateTimeOffset At);
