using System.Text;
using ChasiSre.Platform.Kafka;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Confluent.Kafka;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace ChasiSre.Ingest.Gateway;

/// <summary>
/// One poll of one adapter: GetStatus; GetEvents and QueryLogs over the window since the last complete
/// poll (paging backwards while the adapter says it truncated); ListRunbooks on the first poll and then
/// every <see cref="GatewayOptions.RunbooksInterval"/>. Every item is validated; what is malformed,
/// oversized or breaks the contract goes to <c>chasi.dlq.v1</c> with the reason and raises an
/// AdapterUnhealthy signal; the rest is published, and the cursor moves only once the broker has it.
/// </summary>
internal sealed class AdapterPoller
{
    /// <summary>The detector name on AdapterUnhealthy signals.</summary>
    public const string UnhealthyDetector = "ingest.adapter_unhealthy";

    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default);
    private readonly GatewayOptions options;
    private readonly IGatewaySink sink;
    private readonly IAdapterTokenSource tokens;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;

    public AdapterPoller(GatewayOptions options, IGatewaySink sink, IAdapterTokenSource tokens, TimeProvider timeProvider, ILogger logger)
    {
        this.options = options;
        this.sink = sink;
        this.tokens = tokens;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    public async Task<PollResult> PollAsync(AdapterState state, CancellationToken cancellationToken)
    {
        var poll = new Poll(state, timeProvider.GetUtcNow());
        var result = await RunAsync(poll, cancellationToken);
        foreach (var letter in poll.Letters)
        {
            await sink.PublishDeadLetterAsync(letter, cancellationToken);
        }

        await UpdateHealthAsync(poll, result, cancellationToken);
        return result;
    }

    private async Task<PollResult> RunAsync(Poll poll, CancellationToken cancellationToken)
    {
        var state = poll.State;
        var endpoint = state.Endpoint;
        var token = await TokenAsync(endpoint, refresh: false, cancellationToken);
        if (token.Problem is { } tokenProblem)
        {
            return poll.Fail(AdapterOperation.GetStatus, tokenProblem, contract: true);
        }

        var status = Counted(AdapterOperation.GetStatus, endpoint, await state.Client.GetStatusAsync(token.Token, cancellationToken));
        if (status.Outcome == CallOutcome.Unauthenticated && endpoint.TokenSecret is { } secret)
        {
            // A rotated Secret: read it again before calling it a failure.
            Log.TokenReread(logger, endpoint.Key, secret.DisplayName);
            token = await TokenAsync(endpoint, refresh: true, cancellationToken);
            if (token.Problem is { } rereadProblem)
            {
                return poll.Fail(AdapterOperation.GetStatus, rereadProblem, contract: true);
            }

            status = Counted(AdapterOperation.GetStatus, endpoint, await state.Client.GetStatusAsync(token.Token, cancellationToken));
        }

        if (status.Message is not { } statusMessage)
        {
            Reject(poll, AdapterOperation.GetStatus, status, null);
            return poll.Fail(AdapterOperation.GetStatus, status.Describe(), contract: IsContractFailure(status.Outcome));
        }

        if (AdapterResponseRules.Status(statusMessage) is { } invalid)
        {
            DeadLetter(poll, AdapterOperation.GetStatus, null, DeadLetterKinds.Normalize, "InvalidStatus", invalid, Encoding.UTF8.GetBytes(Json.Format(statusMessage)));
            return poll.Fail(AdapterOperation.GetStatus, invalid, contract: true);
        }

        var subject = BusinessRecords.Subject(endpoint.Source, statusMessage.Adapter);
        var key = BusinessRecords.Key(subject);
        poll.BusinessKey = key;
        var records = new List<BusinessRecord> { BusinessRecords.Status(subject, endpoint.Source, statusMessage.Status, poll.Now) };

        var to = poll.Now;
        var from = state.Cursor ?? to - options.InitialLookback;
        if (to - from > options.MaxLookback)
        {
            from = to - options.MaxLookback;
        }

        var complete = await ReadEventsAsync(poll, subject, from, to, token.Token, records, cancellationToken)
            && await ReadLogsAsync(poll, subject, from, to, token.Token, records, cancellationToken);

        var runbooksDue = state.RunbooksReadAt is not { } readAt || poll.Now - readAt >= options.RunbooksInterval;
        var runbooksRead = false;
        if (complete && runbooksDue)
        {
            runbooksRead = await ReadRunbooksAsync(poll, subject, token.Token, records, cancellationToken);
            complete = runbooksRead;
        }

        var publishable = new List<BusinessRecord>(records.Count);
        foreach (var record in records)
        {
            var size = record.CalculateSize();
            if (size > options.MaxRecordBytes)
            {
                DeadLetter(poll, Operation(record), key, DeadLetterKinds.Oversized, "OversizedRecord",
                    $"{record.RecordCase} record {record.Id} is {size} bytes (limit {options.MaxRecordBytes})", record.ToByteArray());
                continue;
            }

            publishable.Add(record);
        }

        try
        {
            await sink.PublishBusinessAsync(key, publishable, cancellationToken);
        }
        catch (KafkaException e)
        {
            Log.PublishFailed(logger, endpoint.Key, e.Message);
            return PollResult.PublishFailed;
        }

        if (!complete)
        {
            return PollResult.Failed;
        }

        state.Cursor = to;
        if (runbooksRead)
        {
            state.RunbooksReadAt = poll.Now;
        }

        return PollResult.Ok;
    }

    private async Task<bool> ReadEventsAsync(Poll poll, ObjectRef subject, DateTimeOffset from, DateTimeOffset to, string? token, List<BusinessRecord> records, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var end = to;
        for (var page = 1; ; page++)
        {
            var request = new GetEventsRequest { Range = Range(from, end), Limit = options.MaxItemsPerCall };
            var result = Counted(AdapterOperation.GetEvents, poll.State.Endpoint, await poll.State.Client.GetEventsAsync(request, token, cancellationToken));
            if (result.Message is not { } response)
            {
                return Unanswered(poll, AdapterOperation.GetEvents, result);
            }

            DateTimeOffset? oldest = null;
            foreach (var item in response.Events)
            {
                if (AdapterResponseRules.Event(item, from, to) is { } problem)
                {
                    DeadLetter(poll, AdapterOperation.GetEvents, poll.BusinessKey, DeadLetterKinds.Normalize, "InvalidEvent", problem, Encoding.UTF8.GetBytes(Json.Format(item)));
                    continue;
                }

                var at = item.At.ToDateTimeOffset();
                oldest = oldest is { } o && o < at ? o : at;
                if (seen.Add(item.Id))
                {
                    records.Add(BusinessRecords.Event(subject, item));
                }
            }

            if (!response.Truncated || oldest is not { } next || next <= from)
            {
                return true;
            }

            if (page >= options.MaxPagesPerPoll)
            {
                Log.WindowTruncated(logger, poll.State.Endpoint.Key, AdapterOperation.GetEvents, page);
                return true;
            }

            end = next.AddTicks(1);
        }
    }

    private async Task<bool> ReadLogsAsync(Poll poll, ObjectRef subject, DateTimeOffset from, DateTimeOffset to, string? token, List<BusinessRecord> records, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var end = to;
        for (var page = 1; ; page++)
        {
            var request = new QueryLogsRequest { Range = Range(from, end), Limit = options.MaxItemsPerCall };
            var result = Counted(AdapterOperation.QueryLogs, poll.State.Endpoint, await poll.State.Client.QueryLogsAsync(request, token, cancellationToken));
            if (result.Message is not { } response)
            {
                return Unanswered(poll, AdapterOperation.QueryLogs, result);
            }

            DateTimeOffset? oldest = null;
            foreach (var line in response.Logs)
            {
                if (AdapterResponseRules.Log(line, from, to) is { } problem)
                {
                    DeadLetter(poll, AdapterOperation.QueryLogs, poll.BusinessKey, DeadLetterKinds.Normalize, "InvalidLogLine", problem, Encoding.UTF8.GetBytes(Json.Format(line)));
                    continue;
                }

                var at = line.At.ToDateTimeOffset();
                oldest = oldest is { } o && o < at ? o : at;
                var record = BusinessRecords.Log(subject, poll.State.Endpoint.Source, line);
                if (seen.Add(record.Id))
                {
                    records.Add(record);
                }
            }

            if (!response.Truncated || oldest is not { } next || next <= from)
            {
                return true;
            }

            if (page >= options.MaxPagesPerPoll)
            {
                Log.WindowTruncated(logger, poll.State.Endpoint.Key, AdapterOperation.QueryLogs, page);
                return true;
            }

            end = next.AddTicks(1);
        }
    }

    private async Task<bool> ReadRunbooksAsync(Poll poll, ObjectRef subject, string? token, List<BusinessRecord> records, CancellationToken cancellationToken)
    {
        var result = Counted(AdapterOperation.ListRunbooks, poll.State.Endpoint, await poll.State.Client.ListRunbooksAsync(token, cancellationToken));
        if (result.Message is not { } response)
        {
            return Unanswered(poll, AdapterOperation.ListRunbooks, result);
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var runbook in response.Runbooks)
        {
            if (AdapterResponseRules.Runbook(runbook, ids) is { } problem)
            {
                DeadLetter(poll, AdapterOperation.ListRunbooks, poll.BusinessKey, DeadLetterKinds.Normalize, "InvalidRunbook", problem, Encoding.UTF8.GetBytes(Json.Format(runbook)));
                continue;
            }

            records.Add(BusinessRecords.Runbook(subject, runbook, poll.Now));
        }

        return true;
    }

    /// <summary>
    /// A list call that brought no message. UNIMPLEMENTED is "no data"; malformed or oversized output
    /// is dead-lettered and the window is done with (reading it again would fail the same way); any
    /// other failure leaves the window to be read again.
    /// </summary>
    private bool Unanswered<T>(Poll poll, AdapterOperation operation, CallResult<T> result)
        where T : class, IMessage<T>
    {
        switch (result.Outcome)
        {
            case CallOutcome.Unimplemented:
                return true;
            case CallOutcome.Malformed or CallOutcome.TooLarge:
                Reject(poll, operation, result, poll.BusinessKey);
                return true;
            default:
                poll.Fail(operation, result.Describe(), contract: IsContractFailure(result.Outcome));
                return false;
        }
    }

    private static bool IsContractFailure(CallOutcome outcome) =>
        outcome is CallOutcome.Malformed or CallOutcome.TooLarge or CallOutcome.Unauthenticated;

    private void Reject<T>(Poll poll, AdapterOperation operation, CallResult<T> result, string? key)
        where T : class, IMessage<T>
    {
        if (result.Outcome is CallOutcome.Malformed or CallOutcome.TooLarge)
        {
            var kind = result.Outcome == CallOutcome.TooLarge ? DeadLetterKinds.Oversized : DeadLetterKinds.Deserialize;
            var type = result.Outcome == CallOutcome.TooLarge ? "OversizedResponse" : "MalformedResponse";
            DeadLetter(poll, operation, key, kind, type, $"{operation}: {result.Describe()}", result.Body.ToArray());
        }
    }

    private void DeadLetter(Poll poll, AdapterOperation operation, string? key, string kind, string errorType, string problem, byte[] body)
    {
        var endpoint = poll.State.Endpoint;
        Log.DeadLettered(logger, endpoint.Key, operation, kind, problem);
        GatewayTelemetry.DeadLettered.Add(1, new KeyValuePair<string, object?>("kind", kind));
        poll.Problems.Add($"{operation}: {problem}");
        var original = new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(key ?? endpoint.Key),
            Value = body,
            Timestamp = new Confluent.Kafka.Timestamp(poll.Now.UtcDateTime),
            Headers = new Headers
            {
                { RecordHeaders.Source, Encoding.UTF8.GetBytes("adapter/" + endpoint.Key) },
                { "chasi-adapter-operation", Encoding.UTF8.GetBytes(operation.ToString()) },
                { "chasi-adapter-address", Encoding.UTF8.GetBytes(endpoint.Address.ToString()) },
            },
        };
        poll.Letters.Add(DeadLetterRecords.Create(TopicCatalog.Business.Name, -1, -1, original, kind, errorType, problem,
            GatewayTelemetry.Component, GatewayTelemetry.Component, poll.Now, 1, options.MaxRecordBytes));
    }

    private async Task UpdateHealthAsync(Poll poll, PollResult result, CancellationToken cancellationToken)
    {
        var state = poll.State;
        var endpoint = state.Endpoint;
        if (result == PollResult.PublishFailed)
        {
            return;
        }

        string? problem = null;
        if (result == PollResult.Failed)
        {
            var before = state.Breaker.State;
            var after = state.Breaker.Failed();
            Log.PollFailed(logger, endpoint.Key, poll.FailedAt, poll.Failure!);
            if (after == BreakerState.Open && before != BreakerState.Open)
            {
                Log.BreakerOpened(logger, endpoint.Key, state.Breaker.ConsecutiveFailures, state.Breaker.RetryAt);
            }

            // A refused token or unusable output is the adapter's fault at once; timeouts and
            // unreachable endpoints only once the breaker gives up on it.
            if (poll.ContractFailure || after == BreakerState.Open)
            {
                problem = after == BreakerState.Open
                    ? $"{poll.FailedAt}: {poll.Failure}; circuit breaker open after {state.Breaker.ConsecutiveFailures} failed polls"
                    : $"{poll.FailedAt}: {poll.Failure}";
            }
        }
        else
        {
            if (state.Breaker.Succeeded() != BreakerState.Closed)
            {
                Log.BreakerClosed(logger, endpoint.Key);
            }
        }

        if (problem is null && poll.Problems.Count > 0)
        {
            problem = string.Join("; ", poll.Problems.Take(3)) + (poll.Problems.Count > 3 ? $" (and {poll.Problems.Count - 3} more)" : "");
        }

        if (problem is not null && state.Unhealthy is null)
        {
            Log.AdapterUnhealthy(logger, endpoint.Key, problem);
            var signal = Signal(endpoint, active: true, problem, poll.Now, poll.Now, poll.BusinessKey);
            await sink.PublishSignalAsync(signal, cancellationToken);
            state.Unhealthy = signal;
        }
        else if (problem is null && result == PollResult.Ok && state.Unhealthy is { } active)
        {
            await ClearAsync(state, active, cancellationToken);
        }
    }

    /// <summary>Publishes the clearing signal of an active AdapterUnhealthy signal (recovery, or the adapter went away).</summary>
    public async Task ClearAsync(AdapterState state, Signal active, CancellationToken cancellationToken)
    {
        Log.AdapterHealthy(logger, state.Endpoint.Key);
        var clear = active.Clone();
        clear.Active = false;
        clear.Message = "adapter answers correctly again";
        clear.LastSeen = Timestamp.FromDateTimeOffset(timeProvider.GetUtcNow());
        await sink.PublishSignalAsync(clear, cancellationToken);
        state.Unhealthy = null;
    }

    private static Signal Signal(AdapterEndpoint endpoint, bool active, string message, DateTimeOffset since, DateTimeOffset now, string? businessKey)
    {
        var signal = new Signal
        {
            Id = $"{UnhealthyDetector}/{endpoint.Key}/{since.ToUnixTimeMilliseconds()}",
            Detector = UnhealthyDetector,
            Subject = endpoint.Source,
            Severity = Severity.Warning,
            Reason = "AdapterUnhealthy",
            Category = "BusinessDegradation",
            Message = $"business adapter {endpoint.Source.Namespace}/{endpoint.Source.Name}: {message}",
            FirstSeen = Timestamp.FromDateTimeOffset(since),
            LastSeen = Timestamp.FromDateTimeOffset(now),
            Score = 1,
            Active = active,
        };
        signal.Attributes["address"] = endpoint.Address.ToString();
        signal.Attributes["transport"] = endpoint.Transport.ToString().ToLowerInvariant();
        if (businessKey is not null)
        {
            signal.Attributes["business_key"] = businessKey;
        }

        return signal;
    }

    private async ValueTask<TokenLookup> TokenAsync(AdapterEndpoint endpoint, bool refresh, CancellationToken cancellationToken) =>
        endpoint.TokenSecret is { } secret ? await tokens.GetAsync(secret, refresh, cancellationToken) : TokenLookup.None;

    private static CallResult<T> Counted<T>(AdapterOperation operation, AdapterEndpoint endpoint, CallResult<T> result)
        where T : class, IMessage<T>
    {
        GatewayTelemetry.Calls.Add(1,
            new KeyValuePair<string, object?>("operation", operation.ToString()),
            new KeyValuePair<string, object?>("transport", endpoint.Transport == AdapterTransport.Grpc ? "grpc" : "http"),
            new KeyValuePair<string, object?>("code", result.Code));
        return result;
    }

    private static AdapterOperation Operation(BusinessRecord record) => record.RecordCase switch
    {
        BusinessRecord.RecordOneofCase.Event => AdapterOperation.GetEvents,
        BusinessRecord.RecordOneofCase.Log => AdapterOperation.QueryLogs,
        BusinessRecord.RecordOneofCase.Runbook => AdapterOperation.ListRunbooks,
        _ => AdapterOperation.GetStatus,
    };

    private static Schemas.V1.TimeRange Range(DateTimeOffset from, DateTimeOffset to) =>
        new() { From = Timestamp.FromDateTimeOffset(from), To = Timestamp.FromDateTimeOffset(to) };

    /// <summary>What one poll found so far.</summary>
    private sealed class Poll(AdapterState state, DateTimeOffset now)
    {
        public AdapterState State { get; } = state;

        public DateTimeOffset Now { get; } = now;

        public string? BusinessKey { get; set; }

        public List<Message<byte[]?, byte[]?>> Letters { get; } = [];

        /// <summary>Contract problems (dead-lettered items); the adapter is unhealthy even when the poll went on.</summary>
        public List<string> Problems { get; } = [];

        public AdapterOperation FailedAt { get; private set; }

        public string? Failure { get; private set; }

        public bool ContractFailure { get; private set; }

        public PollResult Fail(AdapterOperation operation, string failure, bool contract)
        {
            FailedAt = operation;
            Failure = failure;
            ContractFailure = contract;
            return PollResult.Failed;
        }
    }
}
