using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ChasiSre.Api;

namespace ChasiSre.Cli.Actions;

/// <summary>
/// <c>chasi actions list|show|approve|reject|rollback</c>: the executor's audited actions through the HTTP API, and
/// people's decisions on them, which the API publishes as requests the executor answers with its own steps. Exit 0 done,
/// 1 refused by the API (403, 404, 409), 2 usage, token or connection error.
/// </summary>
internal static class ActionsCommand
{
    public static Command Create()
    {
        var command = new Command("actions", "The executor's actions and their audit trails, through the HTTP API; approve, reject or roll back (token with the approver role).");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Decide("approve", "Ask the executor to run a pending action (phase pending_approval)."));
        command.Subcommands.Add(Decide("reject", "Ask the executor to reject a pending action (phase pending_approval)."));
        command.Subcommands.Add(Decide("rollback", "Ask the executor to roll back an executed reversible action (succeeded or verified)."));
        return command;
    }

    private static Option<string?> ServerOption() => new("--server") { Description = $"The API's base URL (default {ApiConnection.DefaultServer}, as chasi run serves it)." };

    private static Option<string?> TokenFileOption() => new("--token-file")
    {
        Description = $"A file holding the API token; else the environment variable {ApiConnection.TokenVariable}. (No --token: arguments land in the shell's history.)",
    };

    private static Command List()
    {
        var server = ServerOption();
        var tokenFile = TokenFileOption();
        var tenant = new Option<string?>("--tenant") { Description = "Only this tenant's actions." };
        var incident = new Option<string?>("--incident") { Description = "Only the actions of this incident." };
        var phase = new Option<string?>("--phase") { Description = "Only actions whose latest step has this phase (pending_approval, approved, succeeded, verified, ...)." };
        var action = new Option<string?>("--action") { Description = "Only this action (rollout-restart, delete-pod, ...)." };
        var limit = new Option<int>("--limit") { Description = "At most this many actions, newest created first.", DefaultValueFactory = _ => 50 };
        var format = OutputFormatOption.Create();
        var command = new Command("list", "List actions at their latest step, newest created first. Exit 0 listed (even none), 1 refused, 2 usage or connection error.")
        {
            server, tokenFile, tenant, incident, phase, action, limit, format,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var query = new List<string> { $"limit={result.GetValue(limit).ToString(CultureInfo.InvariantCulture)}" };
            foreach (var (name, option) in new[] { ("tenant", tenant), ("incident", incident), ("phase", phase), ("action", action) })
            {
                if (result.GetValue(option) is { } value)
                {
                    query.Add($"{name}={Uri.EscapeDataString(value)}");
                }
            }

            return await CallAsync("list", result.GetValue(server), result.GetValue(tokenFile), result.GetValue(format), async client =>
                await client.GetAsync($"api/v1/actions?{string.Join('&', query)}", cancellationToken), PrintListAsync, cancellationToken);
        });
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<string>("action-id") { Description = "The action's id." };
        var server = ServerOption();
        var tokenFile = TokenFileOption();
        var format = OutputFormatOption.Create();
        var command = new Command("show", "Show one action and its audit trail, every step. Exit 0 shown, 1 refused or not found, 2 usage or connection error.")
        {
            id, server, tokenFile, format,
        };
        command.SetAction(async (result, cancellationToken) =>
            await CallAsync("show", result.GetValue(server), result.GetValue(tokenFile), result.GetValue(format), async client =>
                await client.GetAsync($"api/v1/actions/{Uri.EscapeDataString(result.GetValue(id)!)}", cancellationToken), PrintDetailAsync, cancellationToken));
        return command;
    }

    private static Command Decide(string verb, string description)
    {
        var id = new Argument<string>("action-id") { Description = "The action's id." };
        var reason = new Option<string?>("--reason") { Description = "Why, in your words (at most 1 KiB); recorded in the audit trail." };
        var server = ServerOption();
        var tokenFile = TokenFileOption();
        var format = OutputFormatOption.Create();
        var command = new Command(verb, $"{description} The executor answers the request with its own step (chasi actions show). Exit 0 requested (a repeated request too), 1 refused (403 not an approver, 404 not visible, 409 wrong phase or another request waits), 2 usage or connection error.")
        {
            id, reason, server, tokenFile, format,
        };
        command.SetAction(async (result, cancellationToken) =>
            await CallAsync(verb, result.GetValue(server), result.GetValue(tokenFile), result.GetValue(format), async client =>
                await client.PostAsJsonAsync(
                    $"api/v1/actions/{Uri.EscapeDataString(result.GetValue(id)!)}/{verb}",
                    new ActionDecisionRequest(result.GetValue(reason)),
                    ActionsJsonContext.Default.ActionDecisionRequest,
                    cancellationToken),
                PrintDecisionAsync, cancellationToken));
        return command;
    }

    private static async Task<int> CallAsync(
        string command,
        string? server,
        string? tokenFile,
        OutputFormat format,
        Func<HttpClient, Task<HttpResponseMessage>> call,
        Func<JsonElement, Task> print,
        CancellationToken cancellationToken)
    {
        var connection = ApiConnection.Resolve(server, tokenFile, out var error);
        if (connection is null)
        {
            await Console.Error.WriteLineAsync($"chasi actions {command}: {error}");
            return 2;
        }

        using var client = connection.CreateClient();
        HttpResponseMessage response;
        try
        {
            response = await call(client);
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync($"chasi actions {command}: cannot reach {connection.Server}: {e.Message}");
            return 2;
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"chasi actions {command}: {connection.Server} did not answer in time: {e.Message}");
            return 2;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonElement body;
            try
            {
                body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
            }
            catch (JsonException)
            {
                await Console.Error.WriteLineAsync($"chasi actions {command}: {connection.Server} answered {(int)response.StatusCode} with a body that is not JSON (is --server the chasi API?)");
                return 2;
            }

            if (response.IsSuccessStatusCode)
            {
                if (format == OutputFormat.Json)
                {
                    await Console.Out.WriteLineAsync(text);
                }
                else
                {
                    await print(body);
                }

                return 0;
            }

            var detail = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("detail", out var d) ? d.GetString() : response.ReasonPhrase;
            await Console.Error.WriteLineAsync($"chasi actions {command}: {(int)response.StatusCode} {response.ReasonPhrase}: {detail}");
            if (format == OutputFormat.Json && text.Length > 0)
            {
                await Console.Out.WriteLineAsync(text);
            }

            return response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Conflict ? 1 : 2;
        }
    }

    private static string Time(JsonElement at) =>
        at.ValueKind == JsonValueKind.String ? at.GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";

    private static string Target(JsonElement target) => target.ValueKind != JsonValueKind.Object
        ? "-"
        : $"{target.GetProperty("cluster").GetString()}/{target.GetProperty("kind").GetString()}/" +
          $"{(target.GetProperty("namespace").GetString() is { Length: > 0 } ns ? ns + "/" : "")}{target.GetProperty("name").GetString()}";

    private static string Text(JsonElement element, string name) => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static async Task PrintListAsync(JsonElement page)
    {
        var items = page.GetProperty("items");
        if (items.GetArrayLength() == 0)
        {
            await Console.Out.WriteLineAsync("no actions");
            return;
        }

        await Console.Out.WriteLineAsync($"{"ID",-32} {"PHASE",-18} {"ACTION",-16} {"TENANT",-12} {"UPDATED",-20} {"BY",-24} TARGET");
        foreach (var a in items.EnumerateArray())
        {
            var tenant = Text(a, "tenant") is { Length: > 0 } t ? t : "-";
            var waiting = Waiting(a) is { Length: > 0 } w ? $"  [{w}]" : "";
            await Console.Out.WriteLineAsync(
                $"{Text(a, "id"),-32} {Text(a, "phase"),-18} {Text(a, "action"),-16} {tenant,-12} {Time(a.GetProperty("updatedAt")),-20} {Text(a, "actor"),-24} {Target(a.GetProperty("target"))}{waiting}");
        }

        await Console.Out.WriteLineAsync(page.GetProperty("nextCursor").ValueKind == JsonValueKind.String
            ? $"{items.GetArrayLength()} actions shown; more match (raise --limit or narrow the filters)"
            : $"{items.GetArrayLength()} action(s)");
    }

    private static async Task PrintDetailAsync(JsonElement detail)
    {
        var a = detail.GetProperty("action");
        var output = new StringBuilder();
        output.AppendLine(CultureInfo.InvariantCulture, $"{Text(a, "id")}: {Text(a, "action")} {Target(a.GetProperty("target"))} is {Text(a, "phase")}");
        output.AppendLine(CultureInfo.InvariantCulture, $"  incident   {Text(a, "incidentId")} (revision {a.GetProperty("incidentRevision").GetInt64()}), tenant {(Text(a, "tenant") is { Length: > 0 } t ? t : "- (platform)")}");
        output.AppendLine(CultureInfo.InvariantCulture, $"  policy     {Text(a, "decision")} (rule {Text(a, "policyRule")}){string.Concat(a.GetProperty("reasons").EnumerateArray().Select(r => $"; {r.GetString()}"))}");
        output.AppendLine(CultureInfo.InvariantCulture, $"  reversible {(a.GetProperty("reversible").GetBoolean() ? "yes" : "no")}");
        if (Waiting(a) is { Length: > 0 } waiting)
        {
            output.AppendLine(CultureInfo.InvariantCulture, $"  request    {waiting}");
        }

        output.AppendLine("  trail");
        foreach (var step in detail.GetProperty("trail").EnumerateArray())
        {
            var reason = Text(step, "reason") is { Length: > 0 } r ? $": {r}" : "";
            if (Text(step, "kind") == "request")
            {
                var state = step.GetProperty("pending").GetBoolean() ? "waiting for the executor" : "answered";
                output.AppendLine(CultureInfo.InvariantCulture, $"    req {Time(step.GetProperty("at"))} {Text(step, "phase"),-18} requested by {Text(step, "actor")}{reason} ({state})");
                continue;
            }

            var result = Text(step, "output") is { Length: > 0 } o ? $" -> {o}" : "";
            output.AppendLine(CultureInfo.InvariantCulture, $"    {step.GetProperty("sequence").GetInt32(),3} {Time(step.GetProperty("at"))} {Text(step, "phase"),-18} {Text(step, "actor")}{reason}{result}");
        }

        if (Text(a, "diff") is { Length: > 0 } diff)
        {
            output.AppendLine("  dry-run diff");
            foreach (var line in diff.Split('\n'))
            {
                output.AppendLine(CultureInfo.InvariantCulture, $"    {line}");
            }
        }

        await Console.Out.WriteAsync(output.ToString());
    }

    /// <summary><c>approve requested by user:x at T, waiting for the executor</c>, or empty when no request waits.</summary>
    private static string Waiting(JsonElement action) =>
        action.TryGetProperty("pendingRequest", out var request) && request.ValueKind == JsonValueKind.Object
            ? $"{Text(request, "decision")} requested by {Text(request, "actor")} at {Time(request.GetProperty("at"))}, waiting for the executor"
            : "";

    private static async Task PrintDecisionAsync(JsonElement decision) =>
        await Console.Out.WriteLineAsync(
            $"{Text(decision, "actionId")}: {Text(decision, "decision")} requested by {Text(decision, "actor")} on {Text(decision, "topic")}; " +
            $"the executor answers it in the trail (chasi actions show {Text(decision, "actionId")})");
}
