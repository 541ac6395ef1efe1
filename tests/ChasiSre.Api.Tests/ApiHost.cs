using System.Net.Http.Headers;
using ChasiSre.Diagnosis.Knowledge;
using ChasiSre.Platform.ClickHouse;
using ChasiSre.Platform.Hosting;
using ChasiSre.Platform.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Api.Tests;

/// <summary>
/// The API as <c>chasi run --components api</c> hosts it: a WebApplication on Kestrel, 127.0.0.1 port 0, with
/// <c>AddChasiApi</c> + health + <c>MapChasiApi</c>, over the fixture's chDB, Kafka and knowledge base. Three tokens:
/// <see cref="Admin"/> (every tenant), <see cref="TeamA"/> (team-a) and <see cref="TeamAb"/> (team-a and team-b), viewers;
/// <see cref="ApproverA"/> (team-a) and <see cref="ApproverAll"/> (every tenant) with the role approver.
/// </summary>
internal sealed class ApiHost : IAsyncDisposable
{
    public static readonly string Admin = ApiTokenHasher.NewToken();
    public static readonly string TeamA = ApiTokenHasher.NewToken();
    public static readonly string TeamAb = ApiTokenHasher.NewToken();
    public static readonly string ApproverA = ApiTokenHasher.NewToken();
    public static readonly string ApproverAll = ApiTokenHasher.NewToken();

    private readonly WebApplication app;

    private ApiHost(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
    }

    public Uri Address { get; }

    public IServiceProvider Services => app.Services;

    /// <param name="database">The ClickHouse database to read; the fixture's seeded one by default.</param>
    /// <param name="kafka">The Kafka the API publishes to; the fixture's cluster by default.</param>
    public static async Task<ApiHost> StartAsync(
        ApiFixture fixture, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? settings = null, string? database = null, KafkaClientFactory? kafka = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = "ChasiSre.Api.Tests" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(Settings(settings));
        builder.Services.AddSingleton<IClickHouseStore>(fixture.Store);
        builder.Services.Configure<ClickHouseOptions>(o =>
        {
            o.EmbeddedDataPath = fixture.ClickHouse.EmbeddedDataPath;
            o.Database = database ?? fixture.ClickHouse.Database;
        });
        builder.Services.AddSingleton(kafka ?? fixture.KafkaFactory);
        builder.Services.AddSingleton(fixture.Knowledge);
        builder.Services.AddHealthChecks();
        builder.AddServiceDefaults();
        builder.Services.AddChasiApi(builder.Configuration);

        var app = builder.Build();
        app.MapHealthEndpoints();
        app.MapChasiApi();
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new ApiHost(app, new Uri(address));
    }

    /// <summary>A client of the API with <paramref name="token"/> as bearer (none when null).</summary>
    public HttpClient Client(string? token)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }

    private static Dictionary<string, string?> Settings(IReadOnlyDictionary<string, string?>? overrides)
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Api:Tokens:0:Name"] = "admin",
            ["Api:Tokens:0:Sha256"] = ApiTokenHasher.Hash(Admin),
            ["Api:Tokens:0:Tenants:0"] = "*",
            ["Api:Tokens:1:Name"] = "team-a",
            ["Api:Tokens:1:Sha256"] = ApiTokenHasher.Hash(TeamA).ToUpperInvariant(),
            ["Api:Tokens:1:Tenants:0"] = "team-a",
            ["Api:Tokens:2:Name"] = "team-ab",
            ["Api:Tokens:2:Sha256"] = ApiTokenHasher.Hash(TeamAb),
            ["Api:Tokens:2:Tenants:0"] = "team-a",
            ["Api:Tokens:2:Tenants:1"] = "team-b",
            ["Api:Tokens:3:Name"] = "approver-a",
            ["Api:Tokens:3:Sha256"] = ApiTokenHasher.Hash(ApproverA),
            ["Api:Tokens:3:Tenants:0"] = "team-a",
            ["Api:Tokens:3:Roles:0"] = "approver",
            ["Api:Tokens:4:Name"] = "approver-all",
            ["Api:Tokens:4:Sha256"] = ApiTokenHasher.Hash(ApproverAll),
            ["Api:Tokens:4:Tenants:0"] = "*",
            ["Api:Tokens:4:Roles:0"] = "viewer",
            ["Api:Tokens:4:Roles:1"] = "approver",
            ["Api:Alertmanager:DefaultCluster"] = "host-1",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }
}
