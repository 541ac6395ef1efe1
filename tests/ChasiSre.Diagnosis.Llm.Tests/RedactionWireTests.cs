using System.Text.RegularExpressions;
using ChasiSre.TestKit;
using Microsoft.Extensions.AI;

namespace ChasiSre.Diagnosis.Llm.Tests;

/// <summary>
/// Planted canaries (tenant and object names, IPs, a private registry, secrets of every kind) go
/// through the whole pipeline to a Kestrel server speaking the OpenAI wire format. The server answers
/// by quoting the tokens it received, so the caller's restored answer proves the round trip.
/// </summary>
public sealed partial class RedactionWireTests
{
    private const string Path = "/v1/chat/completions";
    private const string Tenant = "acme-bank";
    private const string Cluster = "prod-eu-1";
    private const string Namespace = "acme-bank-payments";
    private const string Pod = "payments-api-7d9f8b6c5d-x2x9q";
    private const string Node = "ip-10-0-12-34.eu-west-1.compute.internal";
    private const string PodIp = "10.42.3.17";
    private const string Registry = "registry.acme-bank.internal:5000/platform/team-a";
    private const string PemCanary = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7CANARYPEM";
    private const string JwtCanary = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjYW5hcnkiLCJ0ZW5hbnQiOiJhY21lIn0.c2lnbmF0dXJlQ0FOQVJZand0";
    private const string PasswordCanary = "Hunter2CanaryPw!";
    private const string TokenCanary = "tok_CANARY_5f3a";
    private const string ApiKeyCanary = "ak-CANARY-77";
    private const string BearerCanary = "AbCdEf0123CanaryBearer";
    private const string EntropyCanary = "Zx9Qw3Lp8Rt6Yv2Bn5Mk1Hj4Gf7Ds0Aq9We8Rt";

    private static readonly string[] Canaries =
    [
        Tenant, Cluster, Namespace, Pod, Node, PodIp, "registry.acme-bank.internal", "acme-bank",
        PemCanary, JwtCanary, PasswordCanary, TokenCanary, ApiKeyCanary, BearerCanary, EntropyCanary,
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetResponseAsync_PlantedCanaries_NeverReachWireAndNamesComeBackRestored()
    {
        await using var server = await FakeProviderServer.StartAsync(Path, Ct);
        server.Then((context, body) => OpenAIWire.Json(OpenAIWire.Completion(EchoTokens(body)))(context, body));
        using var factory = LlmTestPipelines.Factory(LlmTestPipelines.OpenAI(server.BaseUri));

        var response = await factory.ChatClient.GetResponseAsync(Evidence(), Context().ApplyTo(new ChatOptions { Instructions = $"You diagnose incidents for tenant {Tenant}." }), Ct);

        string wire = server.RequestBodies.Single();
        foreach (var canary in Canaries)
        {
            Assert.DoesNotContain(canary, wire, StringComparison.OrdinalIgnoreCase);
        }

        Assert.DoesNotContain(RedactionContext.PropertyName, wire, StringComparison.Ordinal);
        Assert.Contains("<tenant-1>", wire, StringComparison.Ordinal);
        Assert.Contains("<pod-1>", wire, StringComparison.Ordinal);
        Assert.Contains("<ip-1>", wire, StringComparison.Ordinal);
        Assert.Contains("<registry-1>/api:1.4.2", wire, StringComparison.Ordinal);
        Assert.Contains("[REDACTED]", wire, StringComparison.Ordinal);
        AssertRestored(response.Text);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_TokensSplitAcrossChunks_RestoredInStream()
    {
        await using var server = await FakeProviderServer.StartAsync(Path, Ct);
        server.Then((context, body) =>
        {
            string echo = EchoTokens(body);
            // Three characters per chunk: nearly every token is cut somewhere.
            var chunks = Enumerable.Range(0, (echo.Length + 2) / 3).Select(i => OpenAIWire.Chunk(echo.Substring(i * 3, Math.Min(3, echo.Length - (i * 3))), role: i == 0)).ToList();
            chunks.Add(OpenAIWire.Chunk(null, finishReason: "stop"));
            return OpenAIWire.Sse(chunks)(context, body);
        });
        using var factory = LlmTestPipelines.Factory(LlmTestPipelines.OpenAI(server.BaseUri));

        var (text, _, _) = await LlmTestPipelines.CollectAsync(factory.ChatClient.GetStreamingResponseAsync(Evidence(), Context().ApplyTo(new ChatOptions()), Ct));

        string wire = server.RequestBodies.Single();
        foreach (var canary in Canaries)
        {
            Assert.DoesNotContain(canary, wire, StringComparison.OrdinalIgnoreCase);
        }

        AssertRestored(text);
    }

    private static void AssertRestored(string text)
    {
        Assert.DoesNotMatch(TokenPattern(), text);
        Assert.Contains($"tenant={Tenant}", text, StringComparison.Ordinal);
        Assert.Contains($"cluster={Cluster}", text, StringComparison.Ordinal);
        Assert.Contains($"namespace={Namespace}", text, StringComparison.Ordinal);
        Assert.Contains($"pod={Pod}", text, StringComparison.Ordinal);
        Assert.Contains($"node={Node}", text, StringComparison.Ordinal);
        Assert.Contains($"ip={PodIp}", text, StringComparison.Ordinal);
        Assert.Contains($"registry={Registry}", text, StringComparison.Ordinal);
        foreach (var secret in new[] { PemCanary, JwtCanary, PasswordCanary, TokenCanary, ApiKeyCanary, BearerCanary, EntropyCanary })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    private static RedactionContext Context() => new RedactionContext()
        .Add(RedactionKind.Tenant, Tenant)
        .Add(RedactionKind.Cluster, Cluster)
        .Add(RedactionKind.Namespace, Namespace)
        .Add(RedactionKind.Pod, Pod)
        .Add(RedactionKind.Node, Node);

    private static ChatMessage[] Evidence() =>
    [
        new(ChatRole.System, "Answer with the root cause."),
        new(ChatRole.User, $"""
            [E1] Pod {Namespace}/{Pod} on node {Node} (cluster {Cluster}, tenant {Tenant.ToUpperInvariant()}) restarted 14 times: OOMKilled.
            [E2] event Warning BackOff x14 first 10:02 last 10:31: Back-off restarting failed container api in pod {Pod}
            [E3] image {Registry}/api:1.4.2 pulled; podIP {PodIp}
            [E4] log (previous container): connecting to postgres://app:{PasswordCanary}@db password={PasswordCanary} token: {TokenCanary} "api_key": "{ApiKeyCanary}"
            [E5] log: Authorization: Bearer {BearerCanary}; session {JwtCanary}; cache key {EntropyCanary}
            [E6] mounted secret:
            -----BEGIN PRIVATE KEY-----
            {PemCanary}
            -----END PRIVATE KEY-----
            """),
    ];

    /// <summary>What a model would do: name the objects it was shown, by the tokens it was shown.</summary>
    private static string EchoTokens(string requestBody)
    {
        string Find(string kind) => Regex.Match(requestBody, $"<{kind}-\\d+>").Value;
        return $"tenant={Find("tenant")} cluster={Find("cluster")} namespace={Find("namespace")} pod={Find("pod")} node={Find("node")} ip={Find("ip")} registry={Find("registry")}";
    }

    [GeneratedRegex(@"<(tenant|cluster|namespace|pod|node|ip|registry)-\d+>")]
    private static partial Regex TokenPattern();
}
