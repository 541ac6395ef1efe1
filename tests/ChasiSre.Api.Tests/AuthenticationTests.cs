using System.Net;
using System.Net.Http.Headers;

namespace ChasiSre.Api.Tests;

public sealed class AuthenticationTests(ApiFixture fixture)
{
    [Theory]
    [InlineData("api/v1/incidents")]
    [InlineData("api/v1/incidents/inc-a1crashloop")]
    [InlineData("api/v1/diagnoses/inc-a1crashloop")]
    [InlineData("api/v1/knowledge/search?q=crash")]
    [InlineData("api/v1/actions/proposals")]
    public async Task Get_NoToken_Returns401WithBearerChallenge(string path)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(null);

        using var response = await client.GetAsync(path, ct);

        var problem = await Http.ProblemAsync(response, HttpStatusCode.Unauthorized, ct);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("realm=\"chasi\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains("Bearer <token>", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_Alertmanager_NoToken_Returns401AndReadsNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(null);

        using var response = await client.PostAsync("api/v1/alerts/alertmanager", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), ct);

        await Http.ProblemAsync(response, HttpStatusCode.Unauthorized, ct);
    }

    [Fact]
    public async Task Get_WrongToken_Returns401InvalidToken()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiTokenHasher.NewToken());

        using var response = await client.GetAsync("api/v1/incidents", ct);

        await Http.ProblemAsync(response, HttpStatusCode.Unauthorized, ct);
        Assert.Contains("error=\"invalid_token\"", Assert.Single(response.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_TokenHashInsteadOfToken_Returns401()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiTokenHasher.Hash(ApiHost.Admin));

        using var response = await client.GetAsync("api/v1/incidents", ct);

        await Http.ProblemAsync(response, HttpStatusCode.Unauthorized, ct);
    }

    [Fact]
    public async Task Get_BasicCredentials_Returns401InvalidRequest()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("admin:admin"u8));

        using var response = await client.GetAsync("api/v1/incidents", ct);

        await Http.ProblemAsync(response, HttpStatusCode.Unauthorized, ct);
        Assert.Contains("error=\"invalid_request\"", Assert.Single(response.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ValidToken_Returns200()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.TeamA);

        using var response = await client.GetAsync("api/v1/incidents", ct);

        await Http.JsonAsync(response, HttpStatusCode.OK, ct);
    }

    [Theory]
    [InlineData("healthz")]
    [InlineData("openapi/v1.json")]
    public async Task Get_HealthAndOpenApi_NoToken_Returns200(string path)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(null);

        using var response = await client.GetAsync(path, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
