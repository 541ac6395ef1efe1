namespace ChasiSre.Diagnosis.Knowledge.Tests;

/// <summary>A tenant never retrieves another tenant's private documents, whatever the mode or query.</summary>
public sealed class TenantIsolationTests(MiniLmFixture miniLm)
{
    private const string Secret = "# Payments\n\n## Gateway credentials rotation\n\nThe payment gateway credentials for team-a rotate every Monday; PaymentTimeout after rotation means the secret payments-gw was not reloaded.\n";

    public static TheoryData<RetrievalMode, string?> Cases()
    {
        var data = new TheoryData<RetrievalMode, string?>();
        foreach (var mode in Enum.GetValues<RetrievalMode>())
        {
            data.Add(mode, "team-b");
            data.Add(mode, null);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task SearchAsync_OtherTenantsPrivateDocumentIsBestMatch_NeverReturned(RetrievalMode mode, string? asker)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var kb = await KnowledgeBase.OpenAsync(new KnowledgeBaseOptions(), miniLm.Generator, cancellationToken: ct);
        await kb.UpsertAsync(new KnowledgeDocument("adapters/payments.md", Secret, Tenant: "team-a", Visibility: KnowledgeVisibility.Private), ct);
        await kb.UpsertAsync(new KnowledgeDocument("runbooks/generic.md", "# Business\n\n## Degradation\n\nOrders drop when the payment gateway times out.\n"), ct);
        await kb.UpsertAsync(new KnowledgeDocument("adapters/b.md", "# Team B\n\n## Batch\n\nNightly export of invoices.\n", Tenant: "team-b", Visibility: KnowledgeVisibility.Private), ct);

        var hits = await kb.SearchAsync(new KnowledgeQuery("payment gateway credentials rotation PaymentTimeout payments-gw team-a", asker, Top: 10, Mode: mode), ct);
        var owner = await kb.SearchAsync(new KnowledgeQuery("payment gateway credentials rotation PaymentTimeout payments-gw team-a", "team-a", Top: 1, Mode: mode), ct);

        Assert.NotEmpty(hits);
        Assert.DoesNotContain(hits, h => h.Chunk.Tenant == "team-a");
        Assert.All(hits, h => Assert.True(h.Chunk.Visibility == KnowledgeVisibility.Shared || h.Chunk.Tenant == asker));
        Assert.Equal("team-a:adapters/payments.md#gateway-credentials-rotation", Assert.Single(owner).Chunk.Id);
    }

    [Fact]
    public async Task UpsertAsync_SameSourceIdInTwoTenants_KeptApart()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var kb = await KnowledgeBase.OpenAsync(new KnowledgeBaseOptions(), miniLm.Generator, cancellationToken: ct);
        await kb.UpsertAsync(new KnowledgeDocument("runbook.md", "# Deploy\n\nteam-a deploys with argo.", Tenant: "team-a", Visibility: KnowledgeVisibility.Private), ct);
        await kb.UpsertAsync(new KnowledgeDocument("runbook.md", "# Deploy\n\nteam-b deploys with flux.", Tenant: "team-b", Visibility: KnowledgeVisibility.Private), ct);

        var a = await kb.SearchAsync(new KnowledgeQuery("how do we deploy", "team-a", Top: 5), ct);
        var b = await kb.SearchAsync(new KnowledgeQuery("how do we deploy", "team-b", Top: 5), ct);

        Assert.Equal("team-a deploys with argo.", Assert.Single(a).Chunk.Text);
        Assert.Equal("team-b deploys with flux.", Assert.Single(b).Chunk.Text);
        Assert.Equal(2, (await kb.GetStatsAsync(ct)).Sources);
    }

    [Theory]
    [InlineData("shared")]
    [InlineData("Team-A")]
    [InlineData("a_b")]
    [InlineData("")]
    public void For_InvalidTenant_Throws(string tenant) => Assert.Throws<ArgumentException>(() => KnowledgeScope.For(tenant));
}
