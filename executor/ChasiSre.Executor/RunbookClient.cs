using System.Net.Http.Headers;
using System.Text;
using ChasiSre.Schemas.V1;
using Google.Protobuf;

namespace ChasiSre.Executor;

/// <summary>
/// Calls a business adapter's pull endpoint the way the adapter contract defines it (HTTP/JSON under
/// <c>/chasi/v1/</c>, protobuf JSON bodies, bearer token): <c>runbooks</c> to check the runbook exists (the dry run),
/// <c>runbooks/execute</c> with the action id as <c>request_id</c> (a repeated request must not run twice).
/// </summary>
internal sealed class RunbookClient(HttpClient http, ExecutorOptions options)
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    public static string AdapterKey(ObjectRef target) => $"{target.Cluster}/{target.Namespace}/{target.Name}";

    public async Task<IReadOnlyList<Runbook>> ListAsync(ObjectRef target, CancellationToken cancellationToken)
    {
        var response = await CallAsync<ListRunbooksResponse>(target, "runbooks", new ListRunbooksRequest(), cancellationToken);
        return response.Runbooks;
    }

    public Task<ExecuteRunbookResponse> ExecuteAsync(ObjectRef target, string runbookId, string requestId, CancellationToken cancellationToken) =>
        CallAsync<ExecuteRunbookResponse>(target, "runbooks/execute", new ExecuteRunbookRequest { RunbookId = runbookId, RequestId = requestId }, cancellationToken);

    private async Task<TResponse> CallAsync<TResponse>(ObjectRef target, string operation, IMessage request, CancellationToken cancellationToken)
        where TResponse : class, IMessage<TResponse>, new()
    {
        var key = AdapterKey(target);
        if (!options.Adapters.TryGetValue(key, out var adapter) || adapter.Url is null)
        {
            throw new ActionFailedException($"the executor knows no adapter '{key}' ({ExecutorOptions.SectionName}:Adapters)");
        }

        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(adapter.Url, $"chasi/v1/{operation}"))
        {
            Content = new StringContent(JsonFormatter.Default.Format(request), Encoding.UTF8, "application/json"),
        };
        if (adapter.TokenFile.Length > 0)
        {
            var token = (await File.ReadAllTextAsync(adapter.TokenFile, cancellationToken)).Trim();
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new ActionFailedException($"adapter '{key}' {operation}: {(e is OperationCanceledException ? $"no answer within {options.RequestTimeout}" : e.Message)}", e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var error = TryParse<AdapterError>(body);
                throw new ActionFailedException($"adapter '{key}' {operation}: {(int)response.StatusCode} {error?.Code ?? response.StatusCode.ToString()}{(error?.Message is { Length: > 0 } m ? ": " + m : "")}");
            }

            return TryParse<TResponse>(body) ?? throw new ActionFailedException($"adapter '{key}' {operation}: the answer is not a {typeof(TResponse).Name}");
        }
    }

    private static T? TryParse<T>(string body)
        where T : class, IMessage<T>, new()
    {
        try
        {
            return Parser.Parse<T>(body.Length == 0 ? "{}" : body);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
        catch (InvalidJsonException)
        {
            return null;
        }
    }
}
