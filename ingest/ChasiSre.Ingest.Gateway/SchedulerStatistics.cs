namespace ChasiSre.Ingest.Gateway;

/// <summary>Counts since the scheduler started.</summary>
/// <param name="Adapters">Adapters scheduled now.</param>
/// <param name="Due">Polls that came due.</param>
/// <param name="Started">Polls started.</param>
/// <param name="Succeeded">Polls that ended <see cref="PollResult.Ok"/>.</param>
/// <param name="Failed">Polls that ended <see cref="PollResult.Failed"/> or <see cref="PollResult.PublishFailed"/>, or crashed.</param>
/// <param name="SkippedBreakerOpen">Due polls not run because the adapter's breaker was open.</param>
/// <param name="SkippedStillRunning">Due polls not run because the previous poll of the adapter had not ended.</param>
public sealed record SchedulerStatistics(int Adapters, long Due, long Started, long Succeeded, long Failed, long SkippedBreakerOpen, long SkippedStillRunning);
