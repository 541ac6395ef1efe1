using System.Net;

namespace ChasiSre.Api.Tests;

public sealed class StoreFailureTests(ApiFixture fixture)
{
    [Theory]
    [InlineData("api/v1/incidents")]
    [InlineData("api/v1/incidents/" + SeedData.A1)]
    [InlineData("api/v1/diagnoses/" + SeedData.A1)]
    [InlineData("api/v1/actions/proposals")]
    public async Task Get_DatabaseNotMigrated_Returns503Problem(string path)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct, database: $"api_missing_{Guid.NewGuid():N}");
        using var client = host.Client(ApiHost.Admin);

        var problem = await Http.ProblemAsync(await client.GetAsync(path, ct), HttpStatusCode.ServiceUnavailable, ct);

        Assert.Contains("analytics store", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
