using System.Globalization;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Ingest.Gateway.Tests;

/// <summary>Adapters that break the contract (written without the SDK): their output goes to the dead-letter topic, never to chasi.business.v1.</summary>
public sealed class GatewayBadOutputTests
{
    private static string Status(string adapter = "billing") =>
        $$$$"""{"adapter":"{{{{adapter}}}}","at":"2026-01-01T00:00:00Z","status":{"healthy":true,"summary":"ok","metrics":{"invoices_per_minute":12}}}""";

    [Fact]
    public async Task Poll_OversizedResponse_IsDeadLetteredAsOversizedWithAnUnhealthySignal()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var adapter = await RawAdapterHost.StartAsync(ct);
        var huge = new string('x', 200_000);
        adapter.Answer("status", () => $$$"""{"adapter":"billing","status":{"healthy":true,"summary":"{{{huge}}}"}}""");
        await using var gateway = await GatewayHarness.StartAsync(ct, o => o.MaxResponseBytes = 64 * 1024);
        gateway.Host.Apply(GatewayHarness.Pod("ns-bob", "billing-0", adapter.Port, secret: null));

        var letters = await GatewayHarness.EventuallyAsync(() => gateway.DeadLettersAsync(ct), l => l.Count >= 1, "a dead letter", ct);
        var (letter, headers) = letters[0];
        Assert.Equal(DeadLetterKinds.Oversized, letter.ErrorKind);
        Assert.Equal("OversizedResponse", letter.ErrorType);
        Assert.Contains("over the 65536-byte limit", letter.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(TopicCatalog.Business.Name, letter.OriginalTopic);
        Assert.Equal(GatewayTelemetry.Component, letter.RejectedBy);
        Assert.StartsWith("adapter/host/core/Pod/ns-bob/billing-0", letter.OriginalSource, StringComparison.Ordinal);
        Assert.Equal(64 * 1024, letter.OriginalValue.Length);
        Assert.StartsWith("{\"adapter\":\"billing\"", letter.OriginalValue.ToStringUtf8(), StringComparison.Ordinal);
        Assert.Equal(DeadLetterKinds.Oversized, GatewayHarness.Header(headers, RecordHeaders.ErrorKind));

        var signals = await GatewayHarness.EventuallyAsync(() => gateway.SignalsAsync(ct), s => s.Count >= 1, "an AdapterUnhealthy signal", ct);
        Assert.True(signals[0].Active);
        Assert.Equal(("bob", "billing-0"), (signals[0].Subject.Tenant, signals[0].Subject.Name));
        Assert.Contains("RESOURCE_EXHAUSTED", signals[0].Message, StringComparison.Ordinal);
        Assert.Empty(await gateway.BusinessAsync(ct));
    }

    [Fact]
    public async Task Poll_MalformedStatus_IsDeadLetteredWithItsBytesAndClearsWhenFixed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var adapter = await RawAdapterHost.StartAsync(ct);
        adapter.Answer("status", () => """{"adapter":"billing","status":{"healthy":"maybe"}""");
        await using var gateway = await GatewayHarness.StartAsync(ct);
        gateway.Host.Apply(GatewayHarness.Pod("ns-bob", "billing-0", adapter.Port, secret: null));

        var letters = await GatewayHarness.EventuallyAsync(() => gateway.DeadLettersAsync(ct), l => l.Count >= 1, "a dead letter", ct);
        Assert.Equal((DeadLetterKinds.Deserialize, "MalformedResponse"), (letters[0].Letter.ErrorKind, letters[0].Letter.ErrorType));
        Assert.Contains("chasi.v1.GetStatusResponse", letters[0].Letter.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal("""{"adapter":"billing","status":{"healthy":"maybe"}""", letters[0].Letter.OriginalValue.ToStringUtf8());
        Assert.Contains(letters[0].Letter.OriginalHeaders, h => h.Key == "chasi-adapter-operation" && h.Value.ToStringUtf8() == "GetStatus");
        await GatewayHarness.EventuallyAsync(() => gateway.SignalsAsync(ct), s => s.Count == 1 && s[0].Active, "an AdapterUnhealthy signal", ct);

        adapter.Answer("status", () => Status());
        var signals = await GatewayHarness.EventuallyAsync(() => gateway.SignalsAsync(ct), s => s.Count >= 2, "the clearing signal", ct);
        Assert.False(signals[^1].Active);
        var records = await gateway.BusinessAsync(ct);
        Assert.Contains(records, r => r.Status is { Healthy: true } && r.Subject.Tenant == "bob" && r.Adapter == "billing");
    }

    [Fact]
    public async Task Poll_InvalidItemsAmongValidOnes_DeadLettersOnlyTheInvalidItems()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var adapter = await RawAdapterHost.StartAsync(ct);
        adapter.Answer("status", () => Status());
        adapter.Answer("events", () =>
        {
            var now = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
            return $$$"""
                {"events":[
                  {"id":"e-good","at":"{{{now}}}","event":{"type":"Warning","reason":"InvoiceBacklog","message":"400 invoices waiting"}},
                  {"id":"e-bad-type","at":"{{{now}}}","event":{"type":"Catastrophe","reason":"X","message":"?"}},
                  {"id":"e-outside","at":"2001-01-01T00:00:00Z","event":{"type":"Normal","reason":"Old","message":"from long ago"}}
                ]}
                """;
        });
        adapter.Answer("runbooks", () => """{"runbooks":[{"id":"rb","title":"Restart"},{"id":"rb","title":"Twice"}]}""");
        await using var gateway = await GatewayHarness.StartAsync(ct);
        gateway.Host.Apply(GatewayHarness.Pod("ns-bob", "billing-0", adapter.Port, secret: null));

        var letters = await GatewayHarness.EventuallyAsync(() => gateway.DeadLettersAsync(ct), l => l.Count >= 3, "three dead letters", ct);
        Assert.All(letters, l => Assert.Equal(DeadLetterKinds.Normalize, l.Letter.ErrorKind));
        Assert.Contains(letters, l => l.Letter.ErrorMessage.Contains("'Catastrophe' is not Normal, Warning or Error", StringComparison.Ordinal));
        Assert.Contains(letters, l => l.Letter.ErrorMessage.Contains("outside the requested window", StringComparison.Ordinal));
        Assert.Contains(letters, l => l.Letter.ErrorMessage.Contains("listed twice", StringComparison.Ordinal));
        Assert.All(letters, l => Assert.Equal("bob/billing", l.Letter.OriginalKey.ToStringUtf8()));

        var records = await GatewayHarness.EventuallyAsync(() => gateway.BusinessAsync(ct), r => r.Any(x => x.Event is not null), "the valid event", ct);
        Assert.Equal(["InvoiceBacklog"], records.Where(r => r.Event is not null).Select(r => r.Event.Reason).Distinct());
        Assert.Equal(["rb"], records.Where(r => r.Runbook is not null).Select(r => r.Runbook.Id));
        var signal = (await GatewayHarness.EventuallyAsync(() => gateway.SignalsAsync(ct), s => s.Count >= 1, "an AdapterUnhealthy signal", ct))[0];
        Assert.True(signal.Active);
        Assert.Equal("bob/billing", signal.Attributes["business_key"]);
    }
}
