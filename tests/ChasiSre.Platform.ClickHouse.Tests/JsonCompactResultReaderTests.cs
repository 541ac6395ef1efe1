using System.Text;

namespace ChasiSre.Platform.ClickHouse.Tests;

public sealed class JsonCompactResultReaderTests
{
    [Fact]
    public void Read_Empty_IsEmptyResult()
    {
        var result = JsonCompactResultReader.Read([]);

        Assert.Empty(result);
        Assert.Empty(result.Columns);
    }

    [Fact]
    public void Read_QuotedAndBareWideIntegers_BothParse()
    {
        // Servers with output_format_json_quote_64bit_integers=1 quote 64-bit integers; chDB 26.5 does not.
        var result = Read(
            """
            ["a","b","c"]
            ["UInt64","Int64","Nullable(Int128)"]
            ["18446744073709551615",-5,"170141183460469231731687303715884105727"]
            [1,"-9223372036854775808",null]
            """);

        Assert.Equal(ulong.MaxValue, result[0]["a"]);
        Assert.Equal(-5L, result[0]["b"]);
        Assert.Equal(Int128.MaxValue, result[0]["c"]);
        Assert.Equal(long.MinValue, result[1]["b"]);
        Assert.Null(result[1]["c"]);
    }

    [Fact]
    public void Read_DateTimeInNamedZone_IsConvertedToUtc()
    {
        var result = Read(
            """
            ["local","utc","plain"]
            ["DateTime64(3, 'America/New_York')","DateTime('UTC')","DateTime64(9)"]
            ["2024-01-15 07:00:00.250","2024-01-15 12:00:00","2024-01-15 12:00:00.123456789"]
            """);

        Assert.Equal(new DateTime(2024, 1, 15, 12, 0, 0, 250, DateTimeKind.Utc), result[0]["local"]);
        Assert.Equal(new DateTime(2024, 1, 15, 12, 0, 0, DateTimeKind.Utc), result[0]["utc"]);
        Assert.Equal(new DateTime(2024, 1, 15, 12, 0, 0, DateTimeKind.Utc).AddTicks(1_234_567), result[0]["plain"]);
    }

    [Fact]
    public void Read_NestedTypes_AreMapped()
    {
        var result = Read(
            """
            ["m","t","a"]
            ["Map(LowCardinality(String), Array(Nullable(UInt8)))","Tuple(name String, at DateTime('UTC'))","Array(Array(String))"]
            [{"x":[1,null]},{"name":"n","at":"2024-01-01 00:00:01"},[["a"],[]]]
            """);

        var map = Assert.IsType<Dictionary<string, object?>>(result[0]["m"]);
        Assert.Equal(new object?[] { (byte)1, null }, map["x"]);
        Assert.Equal(new object?[] { "n", new DateTime(2024, 1, 1, 0, 0, 1, DateTimeKind.Utc) }, result[0]["t"]);
        Assert.Equal(new object?[] { new object?[] { "a" }, Array.Empty<object?>() }, result[0]["a"]);
    }

    [Fact]
    public void Get_MissingColumn_NamesTheColumns()
    {
        var result = Read("[\"a\"]\n[\"String\"]\n[\"x\"]\n");

        var exception = Assert.Throws<KeyNotFoundException>(() => result[0]["b"]);

        Assert.Contains("columns: a", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_NullIntoValueType_Throws()
    {
        var result = Read("[\"a\"]\n[\"Nullable(Int32)\"]\n[null]\n");

        Assert.Null(result[0].Get<int?>("a"));
        Assert.Throws<InvalidCastException>(() => result[0].Get<int>("a"));
    }

    private static ClickHouseQueryResult Read(string text) => JsonCompactResultReader.Read(Encoding.UTF8.GetBytes(text));
}
