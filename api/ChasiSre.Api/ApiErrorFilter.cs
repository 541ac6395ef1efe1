using ChasiSre.Platform.ClickHouse;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Api;

/// <summary>
/// The request boundary of <c>/api/v1</c>: a failing analytics store answers 503 (retry later), any other failure 500,
/// both as problem+json and logged with the exception. A request the client abandoned is not answered.
/// </summary>
internal sealed class ApiErrorFilter(ILogger<ApiErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        try
        {
            return await next(context);
        }
        catch (ClickHouseStoreException e)
        {
            Log.StoreFailed(logger, e, http.Request.Path);
            return ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, "Service Unavailable", "the analytics store failed; retry later");
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
        {
            Log.RequestFailed(logger, e, http.Request.Method, http.Request.Path);
            return ApiProblems.Problem(StatusCodes.Status500InternalServerError, "Internal Server Error", "the request failed; the API's log has the cause");
        }
    }
}
