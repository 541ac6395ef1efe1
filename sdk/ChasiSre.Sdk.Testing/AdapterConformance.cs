using System.ComponentModel.DataAnnotations;
using ChasiSre.Schemas.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Sdk.Testing;

/// <summary>
/// Runs the conformance checks against a business adapter written in any language: auth (no
/// token, wrong token), every read operation (answers in time, within the size limit, with the
/// contract's schema and semantics), error codes (invalid range, unknown runbook), the request
/// size limit and secret redaction. ExecuteRunbook is called only with an id no adapter has, so
/// a check never runs a real runbook.
/// </summary>
public static class AdapterConformance
{
    private static readonly string[] SecretKeyHints = ["password", "passwd", "secret", "token", "apikey", "api_key", "api-key", "credential", "private"];

    public static async Task<ConformanceReport> RunAsync(ConformanceOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        using IAdapterProbe probe = options.Transport == AdapterTransport.Grpc ? new GrpcAdapterProbe(options) : new HttpAdapterProbe(options);
        var checks = new List<ConformanceCheck>();
        var now = options.Time.GetUtcNow();
        var range = new Schemas.V1.TimeRange { From = Timestamp.FromDateTimeOffset(now - TimeSpan.FromHours(1)), To = Timestamp.FromDateTimeOffset(now + TimeSpan.FromMinutes(1)) };

        // Auth first: an adapter that answers anyone fails here whatever else it does.
        var anonymous = await probe.CallAsync<GetStatusResponse>(AdapterOperation.GetStatus, new GetStatusRequest(), null, cancellationToken);
        checks.Add(ExpectError("auth.missing-token", "GetStatus", anonymous, ["UNAUTHENTICATED"]));
        var wrong = await probe.CallAsync<GetStatusResponse>(AdapterOperation.GetStatus, new GetStatusRequest(), "chasi-conformance-wrong-" + Guid.NewGuid().ToString("N"), cancellationToken);
        checks.Add(ExpectError("auth.wrong-token", "GetStatus", wrong, ["UNAUTHENTICATED"]));

        var status = await probe.CallAsync<GetStatusResponse>(AdapterOperation.GetStatus, new GetStatusRequest(), options.Token, cancellationToken);
        checks.AddRange(Evaluate("status", "GetStatus", status, options, m => CheckStatus((GetStatusResponse)m)));

        const int LogLimit = 50;
        var logs = await probe.CallAsync<QueryLogsResponse>(AdapterOperation.QueryLogs, new QueryLogsRequest { Range = range, Limit = LogLimit }, options.Token, cancellationToken);
        checks.AddRange(Evaluate("logs", "QueryLogs", logs, options, m => CheckLogs((QueryLogsResponse)m, range, LogLimit)));

        var events = await probe.CallAsync<GetEventsResponse>(AdapterOperation.GetEvents, new GetEventsRequest { Range = range, Limit = LogLimit }, options.Token, cancellationToken);
        checks.AddRange(Evaluate("events", "GetEvents", events, options, m => CheckEvents((GetEventsResponse)m, range, LogLimit, null)));

        var filtered = await probe.CallAsync<GetEventsResponse>(AdapterOperation.GetEvents, new GetEventsRequest { Range = range, Limit = LogLimit, EventTypes = { "Warning", "Error" } }, options.Token, cancellationToken);
        checks.Add(filtered.Outcome == ProbeOutcome.Ok
            ? Check("events.type-filter", "GetEvents", CheckEvents((GetEventsResponse)filtered.Message!, range, LogLimit, ["Warning", "Error"]), filtered)
            : Skip("events.type-filter", "GetEvents", filtered));

        var configuration = await probe.CallAsync<GetConfigurationResponse>(AdapterOperation.GetConfiguration, new GetConfigurationRequest(), options.Token, cancellationToken);
        checks.AddRange(Evaluate("configuration", "GetConfiguration", configuration, options, m => CheckConfiguration((GetConfigurationResponse)m)));
        checks.Add(configuration.Outcome == ProbeOutcome.Ok
            ? Check("configuration.secrets", "GetConfiguration", CheckSecrets((GetConfigurationResponse)configuration.Message!), configuration)
            : Skip("configuration.secrets", "GetConfiguration", configuration));

        var runbooks = await probe.CallAsync<ListRunbooksResponse>(AdapterOperation.ListRunbooks, new ListRunbooksRequest(), options.Token, cancellationToken);
        checks.AddRange(Evaluate("runbooks", "ListRunbooks", runbooks, options, m => CheckRunbooks((ListRunbooksResponse)m)));

        var inverted = new Schemas.V1.TimeRange { From = range.To, To = range.From };
        var invalid = await probe.CallAsync<QueryLogsResponse>(AdapterOperation.QueryLogs, new QueryLogsRequest { Range = inverted }, options.Token, cancellationToken);
        checks.Add(ExpectError("errors.invalid-range", "QueryLogs", invalid, ["INVALID_ARGUMENT"]));

        var unknown = await probe.CallAsync<ExecuteRunbookResponse>(
            AdapterOperation.ExecuteRunbook,
            new ExecuteRunbookRequest { RunbookId = "chasi-conformance-no-such-runbook-" + Guid.NewGuid().ToString("N"), RequestId = "chasi-conformance" },
            options.Token,
            cancellationToken);
        checks.Add(ExpectError("errors.unknown-runbook", "ExecuteRunbook", unknown, ["NOT_FOUND", "UNIMPLEMENTED"]));

        var oversized = new QueryLogsRequest { Range = range, Limit = 1 };
        var keyword = new string('x', 200);
        for (var size = 0; size < options.OversizedRequestBytes; size += keyword.Length + 3)
        {
            oversized.Keywords.Add(keyword);
        }

        var large = await probe.CallAsync<QueryLogsResponse>(AdapterOperation.QueryLogs, oversized, options.Token, cancellationToken);
        checks.Add(ExpectError("limits.request-size", "QueryLogs", large, ["RESOURCE_EXHAUSTED"]));

        return new ConformanceReport(options.Url!.ToString(), options.Transport, checks.TrueForAll(c => c.Status != Testing.CheckStatus.Fail), checks);
    }

    /// <summary>Latency, size and schema checks of one successful-path call.</summary>
    private static IEnumerable<ConformanceCheck> Evaluate(string prefix, string operation, ProbeResult result, ConformanceOptions options, Func<IMessage, string?> semantics)
    {
        var ms = result.Elapsed.TotalMilliseconds;
        yield return result.Outcome switch
        {
            ProbeOutcome.Timeout => Fail($"{prefix}.latency", operation, $"no answer within {options.CallTimeout.TotalMilliseconds:0} ms", ms),
            ProbeOutcome.Unreachable => Fail($"{prefix}.latency", operation, result.Describe(), ms),
            _ => Pass($"{prefix}.latency", operation, $"answered in {ms:0} ms (limit {options.CallTimeout.TotalMilliseconds:0} ms)", ms),
        };
        yield return result.Outcome switch
        {
            ProbeOutcome.TooLarge => Fail($"{prefix}.size", operation, $"response exceeds {options.MaxResponseBytes} bytes", ms),
            ProbeOutcome.Timeout or ProbeOutcome.Unreachable => Skip($"{prefix}.size", operation, result),
            _ => Pass($"{prefix}.size", operation, $"{result.Bytes} bytes (limit {options.MaxResponseBytes})", ms),
        };
        yield return result.Outcome switch
        {
            ProbeOutcome.Ok => semantics(result.Message!) is { } problem
                ? Fail($"{prefix}.schema", operation, problem, ms)
                : Pass($"{prefix}.schema", operation, $"valid {result.Message!.Descriptor.FullName}", ms),
            ProbeOutcome.Malformed => Fail($"{prefix}.schema", operation, result.Describe(), ms),
            ProbeOutcome.Error => Fail($"{prefix}.schema", operation, "error instead of a response: " + result.Describe(), ms),
            _ => Skip($"{prefix}.schema", operation, result),
        };
    }

    private static ConformanceCheck ExpectError(string id, string operation, ProbeResult result, string[] codes)
    {
        var ms = result.Elapsed.TotalMilliseconds;
        return result.Outcome switch
        {
            ProbeOutcome.Error when codes.Contains(result.Code) && result.Problem is null => Pass(id, operation, result.Describe(), ms),

            // gRPC reports the server's receive limit with the same status and text as the client's own;
            // only the oversized-request check expects it, and its one-line answer cannot exceed a limit.
            ProbeOutcome.TooLarge when codes.Contains(result.Code) && result.HttpStatus is null => Pass(id, operation, "RESOURCE_EXHAUSTED: " + result.Problem, ms),
            ProbeOutcome.Error when codes.Contains(result.Code) => Fail(id, operation, $"right code, wrong error body: {result.Problem}", ms),
            ProbeOutcome.Error => Fail(id, operation, $"expected {string.Join(" or ", codes)}, got {result.Describe()}", ms),
            ProbeOutcome.Ok or ProbeOutcome.Malformed => Fail(id, operation, $"expected {string.Join(" or ", codes)}, but the call succeeded", ms),
            _ => Fail(id, operation, $"expected {string.Join(" or ", codes)}, got {result.Describe()}", ms),
        };
    }

    private static ConformanceCheck Check(string id, string operation, string? problem, ProbeResult result) =>
        problem is null ? Pass(id, operation, "ok", result.Elapsed.TotalMilliseconds) : Fail(id, operation, problem, result.Elapsed.TotalMilliseconds);

    private static ConformanceCheck Pass(string id, string operation, string detail, double ms) => new(id, operation, Testing.CheckStatus.Pass, detail, Math.Round(ms, 1));

    private static ConformanceCheck Fail(string id, string operation, string detail, double ms) => new(id, operation, Testing.CheckStatus.Fail, detail, Math.Round(ms, 1));

    private static ConformanceCheck Skip(string id, string operation, ProbeResult result) =>
        new(id, operation, Testing.CheckStatus.Skip, "not evaluated: " + result.Describe(), Math.Round(result.Elapsed.TotalMilliseconds, 1));

    private static string? CheckStatus(GetStatusResponse response)
    {
        if (string.IsNullOrWhiteSpace(response.Adapter))
        {
            return "adapter name is empty";
        }

        if (response.At is null)
        {
            return "at is missing";
        }

        if (response.Status is null)
        {
            return "status is missing";
        }

        if (string.IsNullOrWhiteSpace(response.Status.Summary))
        {
            return "status.summary is empty";
        }

        var bad = response.Status.Metrics.FirstOrDefault(m => !double.IsFinite(m.Value) || string.IsNullOrWhiteSpace(m.Key));
        return bad.Key is null ? null : $"metric '{bad.Key}' has no name or a non-finite value";
    }

    private static string? CheckLogs(QueryLogsResponse response, Schemas.V1.TimeRange range, int limit)
    {
        if (response.Logs.Count > limit)
        {
            return $"{response.Logs.Count} lines for a limit of {limit}";
        }

        for (var i = 0; i < response.Logs.Count; i++)
        {
            var line = response.Logs[i];
            if (line.At is null || line.At < range.From || line.At >= range.To)
            {
                return $"line {i} at {line.At} lies outside the requested range";
            }

            if (line.Level == LogLevel.Unspecified)
            {
                return $"line {i} has no level";
            }

            if (string.IsNullOrEmpty(line.Message))
            {
                return $"line {i} has no message";
            }

            if (i > 0 && line.At > response.Logs[i - 1].At)
            {
                return $"lines are not newest first (line {i})";
            }
        }

        return null;
    }

    private static string? CheckEvents(GetEventsResponse response, Schemas.V1.TimeRange range, int limit, string[]? types)
    {
        if (response.Events.Count > limit)
        {
            return $"{response.Events.Count} events for a limit of {limit}";
        }

        for (var i = 0; i < response.Events.Count; i++)
        {
            var entry = response.Events[i];
            if (string.IsNullOrEmpty(entry.Id))
            {
                return $"event {i} has no id";
            }

            if (entry.At is null || entry.At < range.From || entry.At >= range.To)
            {
                return $"event {i} at {entry.At} lies outside the requested range";
            }

            if (entry.Event is null || entry.Event.Type is not ("Normal" or "Warning" or "Error"))
            {
                return $"event {i} has type '{entry.Event?.Type}' (expected Normal, Warning or Error)";
            }

            if (types is not null && !types.Contains(entry.Event.Type))
            {
                return $"event {i} of type {entry.Event.Type} returned for a query of {string.Join(", ", types)}";
            }

            if (string.IsNullOrEmpty(entry.Event.Reason))
            {
                return $"event {i} has no reason";
            }
        }

        return null;
    }

    private static string? CheckConfiguration(GetConfigurationResponse response) =>
        response.Config is null ? "config is missing" : null;

    private static string? CheckSecrets(GetConfigurationResponse response)
    {
        foreach (var (key, value) in response.Config?.Values ?? [])
        {
            if (Array.Exists(SecretKeyHints, h => key.Contains(h, StringComparison.OrdinalIgnoreCase)) && value.Length > 0 && !value.Contains("redacted", StringComparison.OrdinalIgnoreCase))
            {
                return $"value of '{key}' looks like an unredacted secret";
            }

            var scheme = value.IndexOf("://", StringComparison.Ordinal);
            var at = value.IndexOf('@', StringComparison.Ordinal);
            if (scheme > 0 && at > scheme && value.AsSpan(scheme + 3, at - scheme - 3).Contains(':') && !value.Contains("redacted", StringComparison.OrdinalIgnoreCase))
            {
                return $"value of '{key}' embeds credentials in a URL";
            }

            if (value.Contains("password=", StringComparison.OrdinalIgnoreCase) && !value.Contains("redacted", StringComparison.OrdinalIgnoreCase))
            {
                return $"value of '{key}' carries a password";
            }
        }

        return null;
    }

    private static string? CheckRunbooks(ListRunbooksResponse response)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var runbook in response.Runbooks)
        {
            if (string.IsNullOrEmpty(runbook.Id) || !ids.Add(runbook.Id))
            {
                return $"runbook id '{runbook.Id}' is empty or repeated";
            }

            if (string.IsNullOrWhiteSpace(runbook.Title))
            {
                return $"runbook '{runbook.Id}' has no title";
            }
        }

        return null;
    }
}
