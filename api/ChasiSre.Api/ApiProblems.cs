using Microsoft.AspNetCore.Http;

namespace ChasiSre.Api;

/// <summary>Every error of the API as RFC 9457 problem details (<c>application/problem+json</c>).</summary>
internal static class ApiProblems
{
    public static IResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    /// <summary>400 naming every offending field (<c>errors</c>: field → messages) and the first one in <c>detail</c>.</summary>
    public static IResult Invalid(string title, IReadOnlyDictionary<string, string[]> errors)
    {
        var first = errors.First();
        return TypedResults.ValidationProblem(errors, detail: $"{first.Key}: {first.Value[0]}", title: title);
    }

    /// <summary>400 for one offending field.</summary>
    public static IResult Invalid(string title, string field, string message) =>
        Invalid(title, new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });

    public static IResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, "Not Found", detail);

    public static IResult Forbidden(string detail) => Problem(StatusCodes.Status403Forbidden, "Forbidden", detail);

    public static IResult TooLarge(long limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "Payload Too Large", $"the request body exceeds the limit of {limit} bytes");

    /// <summary>Writes a problem outside an endpoint (authentication, rate limiting).</summary>
    public static Task Write(HttpContext context, int status, string title, string detail) =>
        Problem(status, title, detail).ExecuteAsync(context);
}
