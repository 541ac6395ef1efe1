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
        Failure(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");

    public static JsonObject AlreadyExists(ResourceType type, string name) =>
        Failure(409, "AlreadyExists", $"{type.GroupResource} \"{name}\" already exists", Details(type, name));

    /// <summary>409 Conflict: by default the apiserver's stale-resourceVersion message.</summary>
    public static JsonObject Conflict(ResourceType type, string name, string? why = null) =>
        Failure(409, "Conflict", $"Operation cannot be fulfilled on {type.GroupResource} \"{name}\": {why ?? "the object has been modified; please apply your changes to the latest version and try again"}", Details(type, name));

    /// <summary>422 Invalid, with one cause per field, worded like the apiserver's validation errors.</summary>
    public static JsonObject Invalid(string kind, string group, string name, IReadOnlyList<(string Field, string Message)> causes)
    {
        var qualifiedKind = group.Length == 0 ? kind : $"{kind}.{group}";
        var list = new JsonArray();
        foreach (var (field, message) in causes)
        {
            list.Add(new JsonObject { ["reason"] = message.StartsWith("Required", StringComparison.Ordinal) ? "FieldValueRequired" : "FieldValueInvalid", ["message"] = message, ["field"] = field });
        }

        var text = causes.Count == 1
            ? $"{causes[0].Field}: {causes[0].Message}"
            : "[" + string.Join(", ", causes.Select(c => $"{c.Field}: {c.Message}")) + "]";
        var details = new JsonObject { ["name"] = name };
        if (group.Length > 0)
        {
            details["group"] = group;
        }

        details["kind"] = kind;
        details["causes"] = list;
        return Failure(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {text}", details);
    }

    /// <summary>The Success Status a delete answers with for most kinds.</summary>
    public static JsonObject Success(ResourceType type, string name, string uid)
    {
        var details = Details(type, name);
        details["uid"] = uid;
        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        };
    }

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
