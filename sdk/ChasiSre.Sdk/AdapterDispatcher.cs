using System.Diagnostics;
using ChasiSre.Schemas.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Sdk;

/// <summary>
/// The pull-mode core both transports call: authenticates, validates the request, runs the
/// adapter under the per-call timeout, enforces the contract (window, filters, limits, response
/// size, redaction) and maps to the wire messages. Failures leave as <see cref="AdapterCallException"/>.
/// </summary>
internal sealed class AdapterDispatcher
{
    private const int MaxKeywords = 32;
    private const int MaxKeywordLength = 256;

    // Room for a response's own fields besides the list (truncated flag, framing).
    private const int ResponseOverhead = 64;

    private readonly IBusinessAdapter adapter;
    private readonly AdapterOptions options;
    private readonly BearerTokenCheck auth;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly bool executesRunbooks;

    public AdapterDispatcher(IBusinessAdapter adapter, IOptions<AdapterOptions> options, BearerTokenCheck auth, TimeProvider time, ILogger<AdapterDispatcher> logger)
    {
        this.adapter = adapter;
        this.options = options.Value;
        this.auth = auth;
        this.time = time;
        this.logger = logger;
        executesRunbooks = OverridesExecute(adapter.GetType());
    }

    public AdapterOptions Options => options;

    public Task<GetStatusResponse> GetStatusAsync(string transport, string? authorization, CancellationToken cancellationToken) =>
        CallAsync("GetStatus", transport, authorization, async ct =>
        {
            var status = await adapter.GetStatusAsync(ct);
            return CheckSize(new GetStatusResponse
            {
                Adapter = options.Name,
                At = Timestamp.FromDateTimeOffset(time.GetUtcNow()),
                Status = ContractMapper.ToProto(status ?? throw new InvalidOperationException("GetStatusAsync returned null"), options),
                SdkVersion = SdkTelemetry.Version,
                ExecutesRunbooks = executesRunbooks,
            });
        }, cancellationToken);

    public Task<QueryLogsResponse> QueryLogsAsync(QueryLogsRequest request, string transport, string? authorization, CancellationToken cancellationToken) =>
        CallAsync("QueryLogs", transport, authorization, async ct =>
        {
            var window = Window(request.Range);
            var keywords = Keywords(request.Keywords);
            var limit = Limit(request.Limit);
            var query = new LogQuery(window, keywords, limit);
            var entries = await adapter.QueryLogsAsync(query, ct) ?? [];
            var matching = entries.Where(e => e is not null && window.Contains(e.At) && query.Matches(e.Message ?? "")).OrderByDescending(e => e.At).ToList();
            var response = new QueryLogsResponse();
            response.Truncated = !Fill(response.Logs, matching.Take(limit).Select(e => ContractMapper.ToProto(e, options.Name, options.MaxLogMessageLength))) || matching.Count > limit;
            return response;
        }, cancellationToken);

    public Task<GetEventsResponse> GetEventsAsync(GetEventsRequest request, string transport, string? authorization, CancellationToken cancellationToken) =>
        CallAsync("GetEvents", transport, authorization, async ct =>
        {
            var window = Window(request.Range);
            var types = new List<BusinessEventType>(request.EventTypes.Count);
            foreach (var name in request.EventTypes)
            {
                if (!ContractMapper.TryParseType(name, out var type))
                {
                    throw AdapterCallException.InvalidArgument($"unknown event type '{Shorten(name)}' (expected Normal, Warning or Error)");
                }

                types.Add(type);
            }

            var limit = Limit(request.Limit);
            var query = new EventQuery(window, types, limit);
            var entries = await adapter.GetEventsAsync(query, ct) ?? [];
            var matching = entries.Where(e => e is not null && window.Contains(e.At) && query.Includes(e.Type)).OrderByDescending(e => e.At).ToList();
            var response = new GetEventsResponse();
            response.Truncated = !Fill(response.Events, matching.Take(limit).Select(e => ContractMapper.ToProto(e, options.Name))) || matching.Count > limit;
            return response;
        }, cancellationToken);

    public Task<GetConfigurationResponse> GetConfigurationAsync(string transport, string? authorization, CancellationToken cancellationToken) =>
        CallAsync("GetConfiguration", transport, authorization, async ct =>
        {
            var configuration = await adapter.GetConfigurationAsync(ct) ?? throw new InvalidOperationException("GetConfigurationAsync returned null");
            var redactedKeys = new List<string>();
            var values = ConfigurationRedactor.Redact(configuration.Values ?? new Dictionary<string, string>(), options.SecretKeyPatterns, redactedKeys);
            foreach (var key in redactedKeys)
            {
                logger.ConfigurationRedacted(options.Name, key);
            }

            var config = new BusinessConfig { Version = configuration.Version ?? "" };
            config.Values.Add(values);
            return CheckSize(new GetConfigurationResponse { Config = config });
        }, cancellationToken);

    public Task<ListRunbooksResponse> ListRunbooksAsync(string transport, string? authorization, CancellationToken cancellationToken) =>
        CallAsync("ListRunbooks", transport, authorization, async ct =>
        {
            var runbooks = await adapter.ListRunbooksAsync(ct) ?? [];
            var response = new ListRunbooksResponse();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var runbook in runbooks)
            {
                if (string.IsNullOrEmpty(runbook?.Id) || !ids.Add(runbook.Id))
                {
                    throw new InvalidOperationException($"ListRunbooksAsync returned an empty or duplicate runbook id '{runbook?.Id}'");
                }

                response.Runbooks.Add(ContractMapper.ToProto(runbook));
            }

            return CheckSize(response);
        }, cancellationToken);

    public Task<ExecuteRunbookResponse> ExecuteRunbookAsync(ExecuteRunbookRequest request, string transport, string? authorization, CancellationToken cancellationToken) =>
        CallAsync("ExecuteRunbook", transport, authorization, async ct =>
        {
            if (string.IsNullOrWhiteSpace(request.RunbookId))
            {
                throw AdapterCallException.InvalidArgument("runbook_id is required");
            }

            if (!executesRunbooks)
            {
                throw AdapterCallException.Unimplemented("this adapter executes no runbooks");
            }

            var result = await adapter.ExecuteRunbookAsync(
                new RunbookRequest(request.RunbookId, new Dictionary<string, string>(request.Parameters, StringComparer.Ordinal), request.RequestId), ct)
                ?? throw new InvalidOperationException("ExecuteRunbookAsync returned null");
            logger.RunbookExecuted(options.Name, request.RunbookId, request.RequestId, result.Kind.ToString());
            switch (result.Kind)
            {
                case RunbookResultKind.UnknownRunbook:
                    throw AdapterCallException.NotFound(result.Message);
                case RunbookResultKind.NotSupported:
                    throw AdapterCallException.Unimplemented(result.Message);
                default:
                    var response = new ExecuteRunbookResponse { Outcome = ContractMapper.ToProto(result.Kind), Message = result.Message ?? "" };
                    ContractMapper.AddAll(response.Outputs, result.Outputs);
                    return CheckSize(response);
            }
        }, cancellationToken);

    private async Task<T> CallAsync<T>(string operation, string transport, string? authorization, Func<CancellationToken, Task<T>> body, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var code = StatusCode.OK;
        try
        {
            auth.Demand(authorization);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            try
            {
                // WaitAsync returns at the timeout even when the adapter ignores its token.
                return await body(linked.Token).WaitAsync(options.OperationTimeout, time, cancellationToken);
            }
            catch (TimeoutException)
            {
                await linked.CancelAsync();
                logger.OperationTimedOut(options.Name, operation, options.OperationTimeout);
                throw AdapterCallException.DeadlineExceeded($"{operation} did not answer within {options.OperationTimeout.TotalSeconds:0.###} s");
            }
        }
        catch (AdapterCallException ex)
        {
            code = ex.Code;
            logger.OperationRejected(options.Name, operation, ex.CodeName, ex.Message);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            code = StatusCode.Cancelled;
            throw AdapterCallException.Cancelled($"{operation} cancelled by the caller");
        }
        catch (Exception ex)
        {
            // The adapter's own failure: logged here with its stack, reported to the caller without details.
            code = StatusCode.Internal;
            logger.OperationFailed(ex, options.Name, operation);
            throw AdapterCallException.Internal($"{operation} failed in the adapter ({ex.GetType().Name})");
        }
        finally
        {
            var tags = new TagList { { "operation", operation }, { "transport", transport }, { "code", CodeNames.Of(code) } };
            SdkTelemetry.Requests.Add(1, tags);
            SdkTelemetry.RequestDuration.Record(time.GetElapsedTime(started).TotalSeconds, tags);
        }
    }

    private static TimeWindow Window(Schemas.V1.TimeRange? range)
    {
        if (range?.From is null || range.To is null)
        {
            throw AdapterCallException.InvalidArgument("range.from and range.to are required");
        }

        var from = range.From.ToDateTimeOffset();
        var to = range.To.ToDateTimeOffset();
        return from < to ? new TimeWindow(from, to) : throw AdapterCallException.InvalidArgument($"range.from ({from:O}) must be before range.to ({to:O})");
    }

    private static List<string> Keywords(Google.Protobuf.Collections.RepeatedField<string> keywords)
    {
        if (keywords.Count > MaxKeywords)
        {
            throw AdapterCallException.InvalidArgument($"at most {MaxKeywords} keywords");
        }

        foreach (var keyword in keywords)
        {
            if (keyword.Length is 0 or > MaxKeywordLength)
            {
                throw AdapterCallException.InvalidArgument($"keywords must be 1 to {MaxKeywordLength} characters");
            }
        }

        return [.. keywords];
    }

    private int Limit(int requested) => requested switch
    {
        < 0 => throw AdapterCallException.InvalidArgument("limit must not be negative"),
        0 => options.MaxItems,
        _ => Math.Min(requested, options.MaxItems),
    };

    /// <summary>Adds items while the response stays within the size limit; false when one did not fit.</summary>
    private bool Fill<TItem>(Google.Protobuf.Collections.RepeatedField<TItem> field, IEnumerable<TItem> items)
        where TItem : IMessage
    {
        var budget = options.MaxResponseBytes - ResponseOverhead;
        foreach (var item in items)
        {
            var size = CodedOutputStream.ComputeMessageSize(item) + 1;
            if (size > budget)
            {
                return false;
            }

            budget -= size;
            field.Add(item);
        }

        return true;
    }

    private T CheckSize<T>(T response)
        where T : IMessage
    {
        var size = response.CalculateSize();
        return size <= options.MaxResponseBytes
            ? response
            : throw AdapterCallException.ResponseTooLarge($"response of {size} bytes exceeds the limit of {options.MaxResponseBytes} bytes");
    }

    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "...";

    private static bool OverridesExecute(System.Type type)
    {
        var map = type.GetInterfaceMap(typeof(IBusinessAdapter));
        for (var i = 0; i < map.InterfaceMethods.Length; i++)
        {
            if (map.InterfaceMethods[i].Name == nameof(IBusinessAdapter.ExecuteRunbookAsync))
            {
                return map.TargetMethods[i].DeclaringType != typeof(IBusinessAdapter);
            }
        }

        return false;
    }
}
