namespace ChasiSre.Diagnosis.Evidence.Tests;

public sealed class SqlLiteralTests(SinkWrittenStore store)
{
    [Theory]
    [InlineData("plain")]
    [InlineData("o'brien")]
    [InlineData(@"back\slash")]
    [InlineData(@"\'")]
    [InlineData("line\nbreak\ttab\rreturn")]
    [InlineData("nul\0byte\u0001ctl")]
    [InlineData("租户-团队")]
    [InlineData("")]
    public async Task String_AnyValue_RoundTripsThroughClickHouse(string value)
    {
        var rows = await store.Store.QueryAsync($"SELECT {SqlLiteral.String(value)} AS v", TestContext.Current.CancellationToken);

        Assert.Equal(value, rows[0].Get<string>("v"));
    }

    [Fact]
    public async Task List_ValuesWithQuotes_EachAMember()
    {
        var rows = await store.Store.QueryAsync($"SELECT 'a''b' IN {SqlLiteral.List(["x", "a'b", "a'b"])} AS hit, 'x' IN {SqlLiteral.List([])} AS none", TestContext.Current.CancellationToken);

        Assert.Equal((1, 0), (rows[0].Get<int>("hit"), rows[0].Get<int>("none")));
    }

    [Fact]
    public async Task DateTime64_UtcInstant_ReadBackExactly()
    {
        var at = new DateTime(2026, 11, 27, 10, 0, 30, 123, DateTimeKind.Utc);

        var rows = await store.Store.QueryAsync($"SELECT {SqlLiteral.DateTime64(at)} AS t", TestContext.Current.CancellationToken);

        Assert.Equal(at, rows[0].Get<DateTime>("t"));
    }
}
