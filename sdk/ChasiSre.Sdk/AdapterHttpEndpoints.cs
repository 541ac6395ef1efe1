using ChasiSre.Schemas.V1;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ChasiSre.Sdk;

/// <summary>
/// The HTTP/JSON transport of pull mode: <c>POST /chasi/v1/{operation}</c> with the request
/// message as protobuf JSON (an empty body is the empty request) and the response message as
/// protobuf JSON; errors are the matching HTTP status with an <c>AdapterError</c> body.
/// </summary>
internal static class AdapterHttpEndpoints
{
    public const string Prefix = "/chasi/v1";
    private const string Transport = "http";
    private const string JsonContentType = "application/json; charset=utf-8";

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Prefix);
        group.MapPost("/status", Status);
        group.MapPost("/logs", Logs);
        group.MapPost("/events", Events);
        group.MapPost("/configuration", Configuration);
        group.MapPost("/runbooks", Runbooks);
        group.MapPost("/runbooks/execute", Execute);
        return group;
    }

    private static Task Status(HttpContext context) =>
        Handle<GetStatusRequest, GetStatusResponse>(context, static (d, _, auth, ct) => d.GetStatusAsync(Transport, auth, ct));

    private static Task Logs(HttpContext context) =>
        Handle<QueryLogsRequest, QueryLogsResponse>(context, static (d, r, auth, ct) => d.QueryLogsAsync(r, Transport, auth, ct));

    private static Task Events(HttpContext context) =>
        Handle<GetEventsRequest, GetEventsResponse>(context, static (d, r, auth, ct) => d.GetEventsAsync(r, Transport, auth, ct));

    private static Task Configuration(HttpContext context) =>
        Handle<GetConfigurationRequest, GetConfigurationResponse>(context, static (d, _, auth, ct) => d.GetConfigurationAsync(Transport, auth, ct));

    private static Task Runbooks(HttpContext context) =>
        Handle<ListRunbooksRequest, ListRunbooksResponse>(context, static (d, _, auth, ct) => d.ListRunbooksAsync(Transport, auth, ct));

    private static Task Execute(HttpContext context) =>
        Handle<ExecuteRunbookRequest, ExecuteRunbookResponse>(context, static (d, r, auth, ct) => d.ExecuteRunbookAsync(r, Transport, auth, ct));

    private static async Task Handle<TRequest, TResponse>(
        HttpContext context,
        Func<AdapterDispatcher, TRequest, string?, CancellationToken, Task<TResponse>> call)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage
    {
        var dispatcher = context.RequestServices.GetRequiredService<AdapterDispatcher>();
        var ct = context.RequestAborted;
        try
        {
            var authorization = context.Request.Headers.Authorization.ToString();

            // Authenticate before reading a byte of the body.
            context.RequestServices.GetRequiredService<BearerTokenCheck>().Demand(authorization.Length == 0 ? null : authorization);
            var request = await ReadAsync<TRequest>(context.Request, dispatcher.Options.MaxRequestBytes, ct);
            var response = await call(dispatcher, request, authorization, ct);
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = JsonContentType;
            await context.Response.WriteAsync(Formatter.Format(response), ct);
        }
        catch (AdapterCallException ex)
        {
            if (ex.HttpStatus == StatusCodes.Status401Unauthorized)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
            }

            context.Response.StatusCode = ex.HttpStatus;
            context.Response.ContentType = JsonContentType;
            await context.Response.WriteAsync(Formatter.Format(new AdapterError { Code = ex.CodeName, Message = ex.Message }), ct);
        }
    }

    private static async Task<TRequest> ReadAsync<TRequest>(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
        where TRequest : IMessage<TRequest>, new()
    {
        if (request.ContentLength > maxBytes)
        {
            throw AdapterCallException.RequestTooLarge($"request body of {request.ContentLength} bytes exceeds the limit of {maxBytes} bytes");
        }

        using var body = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (body.Length + read > maxBytes)
            {
                throw AdapterCallException.RequestTooLarge($"request body exceeds the limit of {maxBytes} bytes");
            }

            await body.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        if (body.Length == 0)
        {
            return new TRequest();
        }

        try
        {
            body.Position = 0;
            using var reader = new StreamReader(body);
            return Parser.Parse<TRequest>(await reader.ReadToEndAsync(cancellationToken));
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw AdapterCallException.InvalidArgument($"request body is not a valid {new TRequest().Descriptor.FullName} in protobuf JSON: {ex.Message}");
        }
        catch (InvalidJsonException ex)
        {
            throw AdapterCallException.InvalidArgument($"request body is not JSON: {ex.Message}");
        }
    }
}
