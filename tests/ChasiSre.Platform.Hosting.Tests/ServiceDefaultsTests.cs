using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ChasiSre.Platform.Hosting.Tests;

public sealed class ServiceDefaultsTests
{
    [Theory]
    [InlineData(true, HttpStatusCode.OK)]
    [InlineData(false, HttpStatusCode.ServiceUnavailable)]
    public async Task MapHealthEndpoints_ReadinessFollowsReadyChecks_LivenessStaysUp(bool ready, HttpStatusCode expectedReady)
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        builder.Services.AddHealthChecks().AddCheck("kafka", () => ready ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("no broker"), [HealthTags.Ready]);
        await using var app = builder.Build();
        app.MapHealthEndpoints();
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        var live = await http.GetAsync(new Uri("/healthz", UriKind.Relative), ct);
        var readiness = await http.GetAsync(new Uri("/readyz", UriKind.Relative), ct);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(expectedReady, readiness.StatusCode);
        await app.StopAsync(ct);
    }

    [Fact]
    public async Task AddValidatedOptions_InvalidSection_FailsTheStartNamingTheField()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["Sample:Brokers"] = "0";
        builder.Services.AddValidatedOptions<SampleOptions>("Sample");
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(ct));
        Assert.Contains("Brokers", error.Message, StringComparison.Ordinal);
        Assert.Contains("Endpoint", error.Message, StringComparison.Ordinal);
    }

    public sealed class SampleOptions
    {
        [Range(1, 3)]
        public int Brokers { get; set; } = 1;

        [Required]
        public string? Endpoint { get; set; }
    }
}
