namespace ChasiSre.Diagnosis.Llm.Tests;

public sealed class PseudonymizerTests
{
    [Fact]
    public void Pseudonymize_SameValueTwice_SameTokenAndNumberedInOrder()
    {
        var p = new Pseudonymizer(new RedactionContext().Add(RedactionKind.Pod, "web-1", "web-2"));

        string text = p.Pseudonymize("web-2 then web-1 then web-2 on 10.0.0.1 and 10.0.0.2 and 10.0.0.1");

        Assert.Equal("<pod-1> then <pod-2> then <pod-1> on <ip-1> and <ip-2> and <ip-1>", text);
        Assert.Equal("web-2 then web-1 then web-2 on 10.0.0.1 and 10.0.0.2 and 10.0.0.1", p.Restore(text));
    }

    [Fact]
    public void Pseudonymize_LongerNameFirst_NamespaceContainingTenantNotSplit()
    {
        var p = new Pseudonymizer(new RedactionContext().Add(RedactionKind.Tenant, "acme").Add(RedactionKind.Namespace, "acme-prod"));

        Assert.Equal("<namespace-1> of <tenant-1>; <tenant-1>-staging", p.Pseudonymize("acme-prod of ACME; acme-staging"));
    }

    [Fact]
    public void Pseudonymize_NameInsideLongerWord_NotReplaced()
    {
        var p = new Pseudonymizer(new RedactionContext().Add(RedactionKind.Pod, "api"));

        Assert.Equal("rapid <pod-1> apis", p.Pseudonymize("rapid api apis"));
    }

    [Theory]
    [InlineData("image ghcr.io/acme/team/api:1.2 ok", "image <registry-1>/api:1.2 ok")]
    [InlineData("pull 10.1.2.3:5000/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "pull <registry-1>/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("version 1.2.3 and 999.1.1.1", "version 1.2.3 and 999.1.1.1")]
    [InlineData("at 12:30:45 from fe80::1ff:fe23:4567:890a", "at 12:30:45 from <ip-1>")]
    public void Pseudonymize_Patterns_RegistryAndIpOnly(string input, string expected)
    {
        Assert.Equal(expected, new Pseudonymizer(null).Pseudonymize(input));
    }

    [Fact]
    public void Restore_UnknownToken_LeftAsIs()
    {
        var p = new Pseudonymizer(new RedactionContext().Add(RedactionKind.Pod, "web-1"));
        p.Pseudonymize("web-1");

        Assert.Equal("web-1 and <pod-7>", p.Restore("<pod-1> and <pod-7>"));
    }

    [Theory]
    [InlineData("root cause: <po|d-1> OOM")]
    [InlineData("<|pod|-|1|>")]
    [InlineData("x <pod-1|> y")]
    [InlineData("a < b and |<pod-1>")]
    [InlineData("ends with <pod-")]
    public void StreamingRestorer_TokenSplitAcrossChunks_Restored(string chunked)
    {
        string[] chunks = chunked.Split('|');
        var p = new Pseudonymizer(new RedactionContext().Add(RedactionKind.Pod, "web-1"));
        p.Pseudonymize("web-1");
        var restorer = new StreamingTokenRestorer(p);

        string output = string.Concat(chunks.Select(restorer.Push)) + restorer.Flush();

        Assert.Equal(string.Concat(chunks).Replace("<pod-1>", "web-1", StringComparison.Ordinal), output);
    }

    [Theory]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----", "[REDACTED]")]
    [InlineData("DB_PASSWORD=s3cr3t!", "DB_PASSWORD=[REDACTED]")]
    [InlineData("dsn postgres://app:pw0rd@db:5432/x", "dsn postgres://app:[REDACTED]@db:5432/x")]
    [InlineData("\"client_secret\": \"abc123\"", "\"client_secret\": \"[REDACTED]\"")]
    [InlineData("Authorization: Bearer abcdef123456789", "Authorization: Bearer [REDACTED]")]
    [InlineData("key Zx9Qw3Lp8Rt6Yv2Bn5Mk1Hj4Gf7Ds0Aq9We8Rt end", "key [REDACTED] end")]
    public void Scrub_Secrets_Removed(string input, string expected)
    {
        Assert.Equal(expected, SecretScrubber.Scrub(input, out int removed));
        Assert.Equal(1, removed);
    }

    [Theory]
    [InlineData("secretName: db-creds, evidenceTokens: 1500")]
    [InlineData("pod payments-reconciler-7f9d8c6b5-xk2lp-abcdefgh restarted")]
    [InlineData("image digest 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("Back-off restarting failed container api in pod web-1")]
    [InlineData("pod acme-bank-payments/payments-api-7d9f8b6c5d-x2x9q OOMKilled")]
    public void Scrub_OrdinaryEvidence_Unchanged(string input)
    {
        Assert.Equal(input, SecretScrubber.Scrub(input, out int removed));
        Assert.Equal(0, removed);
    }
}
