using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChasiSre.Api.Tests;

public sealed class ApiOptionsTests(ApiFixture fixture)
{
    [Theory]
    [InlineData("Api:Tokens:0:Sha256", "my-plain-token", "Sha256")]
    [InlineData("Api:Tokens:0:Name", "", "Name")]
    [InlineData("Api:Tokens:0:Tenants:0", "Team_A", "Team_A")]
    [InlineData("Api:Tokens:0:Tenants:1", "*", "\"*\" must be the only entry")]
    [InlineData("Api:Tokens:1:Name", "admin", "used by another token")]
    [InlineData("Api:MaxPageSize", "10", "DefaultPageSize")]
    [InlineData("Api:RateLimit:Burst", "0", "Burst")]
    [InlineData("Api:Alertmanager:DefaultCluster", "", "DefaultCluster")]
    [InlineData("Api:Alertmanager:Categories:MyAlert", "Outage", "Outage")]
    [InlineData("Api:Tokens:0:Roles:0", "admin", "role 'admin' is not one of viewer, approver")]
    public async Task Start_InvalidOptions_FailsNamingTheProblem(string key, string value, string expected)
    {
        var ct = TestContext.Current.CancellationToken;

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => ApiHost.StartAsync(fixture, ct, new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddChasiApi_CalledTwice_RegistersOnce()
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Api:Tokens:0:Name"] = "admin",
            ["Api:Tokens:0:Sha256"] = ApiTokenHasher.Hash("t"),
            ["Api:Tokens:0:Tenants:0"] = "*",
        }).Build();

        services.AddChasiApi(configuration);
        var count = services.Count;
        services.AddChasiApi(configuration);

        Assert.Equal(count, services.Count);
        await using var provider = services.BuildServiceProvider();
        Assert.Equal("admin", Assert.Single(provider.GetRequiredService<IOptions<ApiOptions>>().Value.Tokens).Name);
    }

    [Fact]
    public void Hash_Token_IsLowercaseHexSha256OfUtf8()
    {
        // printf %s abc | sha256sum (the FIPS 180-2 test vector)
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiTokenHasher.Hash("abc"));
        Assert.Equal(System.Security.Cryptography.SHA256.HashData("租户-token"u8.ToArray()), Convert.FromHexString(ApiTokenHasher.Hash("租户-token")));
        Assert.Equal(ApiTokenHasher.Hash("x").ToLowerInvariant(), ApiTokenHasher.Hash("x"));
    }

    [Fact]
    public void NewToken_TwoCalls_AreDifferentPrefixedAndUrlSafe()
    {
        var first = ApiTokenHasher.NewToken();
        var second = ApiTokenHasher.NewToken();

        Assert.NotEqual(first, second);
        Assert.StartsWith(ApiTokenHasher.TokenPrefix, first, StringComparison.Ordinal);
        Assert.Equal(ApiTokenHasher.TokenPrefix.Length + 43, first.Length);
        Assert.Matches("^chasi_[A-Za-z0-9_-]{43}$", first);
    }
}
