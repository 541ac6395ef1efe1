using System.Net;

namespace ChasiSre.Api.Tests;

public sealed class OpenApiDocumentTests(ApiFixture fixture)
{
    [Fact]
    public async Task Get_OpenApiDocument_ListsEveryEndpointWithBearerSecurity()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(null);

        var document = await Http.JsonAsync(await client.GetAsync("openapi/v1.json", ct), HttpStatusCode.OK, ct);

        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.Equal("ChasiSre API", document.GetProperty("info").GetProperty("title").GetString());
        var paths = document.GetProperty("paths");
        Assert.Equal(
            [
                "/api/v1/actions", "/api/v1/actions/proposals", "/api/v1/actions/{id}", "/api/v1/actions/{id}/approve", "/api/v1/actions/{id}/reject",
                "/api/v1/actions/{id}/rollback", "/api/v1/alerts/alertmanager", "/api/v1/diagnoses/{incidentId}", "/api/v1/incidents", "/api/v1/incidents/{id}",
                "/api/v1/knowledge/search", "/api/v1/me",
            ],
            paths.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var operations = paths.EnumerateObject().SelectMany(p => p.Value.EnumerateObject()).ToList();
        Assert.Equal(12, operations.Count);
        Assert.All(operations, o => Assert.True(o.Value.GetProperty("security")[0].TryGetProperty("bearer", out _), $"{o.Name} has no bearer requirement"));
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());

        var list = paths.GetProperty("/api/v1/incidents").GetProperty("get");
        Assert.Equal("ListIncidents", list.GetProperty("operationId").GetString());
        Assert.Equal(
            ["category", "cluster", "cursor", "layer", "limit", "severity", "since", "state", "tenant", "until"],
            list.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.True(list.GetProperty("responses").TryGetProperty("429", out _));
        var webhook = paths.GetProperty("/api/v1/alerts/alertmanager").GetProperty("post");
        Assert.True(webhook.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(webhook.GetProperty("responses").TryGetProperty("413", out _));
        var approve = paths.GetProperty("/api/v1/actions/{id}/approve").GetProperty("post");
        Assert.Equal("ApproveAction", approve.GetProperty("operationId").GetString());
        Assert.False(approve.GetProperty("requestBody").TryGetProperty("required", out var required) && required.GetBoolean(), "the decision body is optional");
        Assert.True(approve.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.All(["202", "403", "404", "409"], status => Assert.True(approve.GetProperty("responses").TryGetProperty(status, out _), $"approve documents no {status}"));
        Assert.Equal(
            ["action", "cursor", "incident", "limit", "phase", "tenant"],
            paths.GetProperty("/api/v1/actions").GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
    }
}
