using System.Text.Json.Nodes;

namespace ChasiSre.Ingest.Simulator;

/// <summary>meta/v1 <c>Status</c> bodies, worded like the real apiserver's.</summary>
internal static class ApiStatus
{
    public static JsonObject Failure(int code, string reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        status["code"] = code;
        return status;
    }

    public static JsonObject NotFound(ResourceType type, string name) =>
        Failure(404, "NotFound", $"{type.GroupResource} \"{name}\" not found", Details(type, name));

    public static JsonObject PathNotFound() =>
        Failure(404, "NotFound", "the server could not find the requested resource", new JsonObject
        {
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = "UnexpectedServerResponse", ["message"] = "404 page not found" }),
        });

    public static JsonObject BadRequest(string message) => Failure(400, "BadRequest", message);

    public static JsonObject Gone(string message) => Failure(410, "Expired", message);

    public static JsonObject MethodNotAllowed() =>
        Failure(405, "MethodNotAllowed", "the server does not allow this method on the requested resource (the simulator changes objects only through Apply and Delete)");

    public static JsonObject NotAcceptable(string accept) =>
        Failure(406, "NotAcceptable", $"only the following media types are accepted: application/json, application/json;as=Table;v=v1;g=meta.k8s.io (not {accept})");

    /// <summary>The body of an injected failure.</summary>
    public static JsonObject Injected(int code, TimeSpan? retryAfter)
    {
        var (reason, message) = code switch
        {
            429 => ("TooManyRequests", "Too many requests, please try again later."),
            500 => ("InternalError", "Internal error occurred: simulated failure"),
            503 => ("ServiceUnavailable", "The server is currently unable to handle the request"),
            504 => ("Timeout", "The server was unable to return a response in the time allotted, but may still be processing the request"),
            403 => ("Forbidden", "forbidden: simulated failure"),
            401 => ("Unauthorized", "Unauthorized"),
            _ => ("Unknown", $"simulated failure with HTTP {code}"),
        };
        JsonObject? details = retryAfter is { } r ? new JsonObject { ["retryAfterSeconds"] = RetryAfterSeconds(r) } : null;
        return Failure(code, reason, message, details);
    }

    public static int RetryAfterSeconds(TimeSpan retryAfter) => Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));

    private static JsonObject Details(ResourceType type, string name)
    {
        var details = new JsonObject { ["name"] = name };
        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }

        details["kind"] = type.Plural;
        return details;
    }
}
