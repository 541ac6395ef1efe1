namespace ChasiSre.Deploy.Tests;

public sealed class GrafanaMacrosTests
{
    private static readonly DateTimeOffset From = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private static readonly DateTimeOffset To = From.AddHours(6);

    private static GrafanaMacros Macros(GrafanaVariable tenant) => new(From, To, TimeSpan.FromSeconds(30), new Dictionary<string, GrafanaVariable>
    {
        ["database"] = GrafanaVariable.Single("chasi"),
        ["tenant"] = tenant,
    });

    [Fact]
    public void Expand_TimeMacros_AsThePluginWritesThem()
    {
        var sql = Macros(GrafanaVariable.Single("a")).Expand("SELECT $__timeInterval(ts) t, $__interval_s s FROM x WHERE $__timeFilter(ts) AND $__timeFilter_ms(ts) AND u < $__toTime AND u > $__fromTime");

        Assert.Equal(
            "SELECT toStartOfInterval(toDateTime(ts), INTERVAL 30 second) t, 30 s FROM x WHERE ts >= toDateTime(1700000000) AND ts <= toDateTime(1700021600) AND ts >= fromUnixTimestamp64Milli(1700000000000) AND ts <= fromUnixTimestamp64Milli(1700021600000) AND u < toDateTime(1700021600) AND u > toDateTime(1700000000)",
            sql);
    }

    [Fact]
    public void Expand_MultiValueSingleQuote_QuotesAndEscapesEachValue()
    {
        var sql = Macros(new GrafanaVariable(["team-a", "o'brien"])).Expand("SELECT 1 FROM ${database}.incidents WHERE tenant IN (${tenant:singlequote})");

        Assert.Equal("SELECT 1 FROM chasi.incidents WHERE tenant IN ('team-a','o\\'brien')", sql);
    }

    [Fact]
    public void Expand_AllWithCustomAllValue_InsertsItUnformatted()
    {
        var sql = Macros(GrafanaVariable.All("'__all'")).Expand("WHERE ('__all' IN (${tenant:singlequote}) OR tenant IN (${tenant:singlequote}))");

        Assert.Equal("WHERE ('__all' IN ('__all') OR tenant IN ('__all'))", sql);
    }

    [Theory]
    [InlineData("SELECT $undefined")]
    [InlineData("SELECT $__unknownMacro")]
    [InlineData("SELECT $__dateFilter(d)")]
    public void Expand_UnknownVariableOrMacro_Throws(string rawSql)
    {
        Assert.Throws<InvalidOperationException>(() => Macros(GrafanaVariable.Single("a")).Expand(rawSql));
    }
}
