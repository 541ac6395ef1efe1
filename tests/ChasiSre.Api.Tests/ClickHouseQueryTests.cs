namespace ChasiSre.Api.Tests;

public sealed class ClickHouseQueryTests(ApiFixture fixture)
{
    [Theory]
    [InlineData("plain")]
    [InlineData("it's")]
    [InlineData("x' OR 1=1 --")]
    [InlineData("back\\slash\\")]
    [InlineData("\\' ; DROP DATABASE chasi; --")]
    [InlineData("new\nline\ttab\rreturn\0nul\u0001ctl")]
    [InlineData("{other} {s}")]
    [InlineData("租户 ünïcödé \u0085")]
    public async Task Set_HostileString_ReachesClickHouseAsTheExactValue(string value)
    {
        var ct = TestContext.Current.CancellationToken;
        var query = new ClickHouseQuery().Append("SELECT {s} AS v, length({s}) AS n, {other} AS o").Set("s", value).Set("other", "fixed");

        var row = Assert.Single(await fixture.Store.QueryAsync(query.Render(), ct));

        Assert.Equal(value, row.Get<string>("v"));
        Assert.Equal("fixed", row.Get<string>("o"));
    }

    [Fact]
    public async Task Set_ArrayAndTime_RenderTypedLiterals()
    {
        var ct = TestContext.Current.CancellationToken;
        var at = new DateTimeOffset(2025, 3, 1, 8, 0, 0, 123, TimeSpan.FromHours(8));
        var query = new ClickHouseQuery()
            .Append("SELECT has({tenants}, 'b''c') AS has_quote, length({none}) AS empty, {at} AS at, toTypeName({at}) AS type")
            .Set("tenants", ["a", "b'c"]).Set("none", []).Set("at", at);

        var row = Assert.Single(await fixture.Store.QueryAsync(query.Render(), ct));

        Assert.Equal(1, row.Get<int>("has_quote"));
        Assert.Equal(0L, row.Get<long>("empty"));
        Assert.Equal(at, row.Get<DateTimeOffset>("at"));
        Assert.Equal("DateTime64(3, 'UTC')", row.Get<string>("type"));
    }

    [Fact]
    public void Render_PlaceholderWithoutValue_Throws()
    {
        var query = new ClickHouseQuery().Append("SELECT {a}, {b}").Set("a", "x");

        Assert.Contains("{b}", Assert.Throws<InvalidOperationException>(query.Render).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ValueWithoutPlaceholder_Throws()
    {
        var query = new ClickHouseQuery().Append("SELECT {a}").Set("a", "x").Set("b", "y");

        Assert.Contains("b", Assert.Throws<InvalidOperationException>(query.Render).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Set_InvalidParameterName_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ClickHouseQuery().Set("a b", "x"));
    }
}
