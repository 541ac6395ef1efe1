using ChasiSre.Schemas.V1;

namespace ChasiSre.Ingest.Tests;

public sealed class LogLineParserTests
{
    private static readonly ObjectRef Pod = new() { Cluster = "team-a", Namespace = "shop", Name = "checkout-x", Uid = "u", Kind = "Pod" };
    private static readonly DateTimeOffset FetchedAt = new(2026, 3, 1, 10, 1, 0, TimeSpan.Zero);

    [Fact]
    public void Parse_KubeletTimestamps_SetsTimeLevelAndStableIds()
    {
        const string text = "2026-03-01T10:00:29.123456789Z FATAL config: environment variable DEPLOY_ENV is not set\n2026-03-01T10:00:28Z INFO starting\n";

        var first = LogLineParser.Parse(Pod, "app", true, text, 8192, FetchedAt);
        var again = LogLineParser.Parse(Pod, "app", true, text, 8192, FetchedAt.AddMinutes(5));

        Assert.Equal(2, first.Count);
        Assert.Equal("FATAL config: environment variable DEPLOY_ENV is not set", first[0].Message);
        Assert.Equal(LogLevel.Fatal, first[0].Level);
        Assert.Equal(LogLevel.Info, first[1].Level);
        // Nanoseconds round to .NET's 100 ns ticks.
        Assert.InRange((first[0].At.ToDateTimeOffset() - new DateTimeOffset(2026, 3, 1, 10, 0, 29, 123, 456, TimeSpan.Zero)).Ticks, 7, 8);
        Assert.True(first[0].Previous);
        Assert.Equal(first.Select(r => r.Id), again.Select(r => r.Id));
        Assert.NotEqual(first[0].Id, first[1].Id);
    }

    [Fact]
    public void Parse_IdenticalLinesAtSameInstant_GetDistinctIds()
    {
        var records = LogLineParser.Parse(Pod, "app", false, "2026-03-01T10:00:00Z retry\n2026-03-01T10:00:00Z retry\n", 8192, FetchedAt);

        Assert.Equal(2, records.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public void Parse_LongLine_IsCutAndMarked()
    {
        var record = Assert.Single(LogLineParser.Parse(Pod, "app", false, new string('x', 10_000), 200, FetchedAt));

        Assert.Equal(200, record.Message.Length);
        Assert.True(record.Truncated);
        Assert.Equal(FetchedAt, record.At.ToDateTimeOffset());
    }

    [Fact]
    public void Parse_HostileControlCharacters_AreReplaced()
    {
        var record = Assert.Single(LogLineParser.Parse(Pod, "app", false, "ERROR \u001b[31mred\u0000\u2028fake-line\ud800", 8192, FetchedAt));

        Assert.DoesNotContain('\u001b', record.Message);
        Assert.DoesNotContain('\u0000', record.Message);
        Assert.DoesNotContain('\u2028', record.Message);
        Assert.DoesNotContain('\ud800', record.Message);
        Assert.Equal(LogLevel.Error, record.Level);
    }

    [Theory]
    [InlineData("connecting with password=hunter2 to db", "hunter2")]
    [InlineData("Authorization: Bearer abcdef0123456789abcdef", "abcdef0123456789abcdef")]
    [InlineData("token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "dozjgNryP4J3jVmNHl0w5N")]
    [InlineData("""{"level":"error","api_key":"sk-live-0123456789"}""", "sk-live-0123456789")]
    [InlineData("using key AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE")]
    public void Parse_Credentials_AreMasked(string line, string secret)
    {
        var record = Assert.Single(LogLineParser.Parse(Pod, "app", false, line, 8192, FetchedAt));

        Assert.DoesNotContain(secret, record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PemPrivateKeyBlock_IsRemovedWhole()
    {
        const string text = "loading key\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7x\nQWxhZGRpbjpvcGVu\n-----END RSA PRIVATE KEY-----\nready";

        var records = LogLineParser.Parse(Pod, "app", false, text, 8192, FetchedAt);

        Assert.Equal(["loading key", "[private key removed]", "ready"], records.Select(r => r.Message));
    }

    [Theory]
    [InlineData("E0301 10:00:00.000000 1 reflector.go:123] failed", LogLevel.Error)]
    [InlineData("level=warn msg=slow", LogLevel.Warn)]
    [InlineData("[DEBUG] cache miss", LogLevel.Debug)]
    [InlineData("Traceback (most recent call last):", LogLevel.Error)]
    [InlineData("terror is not a level", LogLevel.Unspecified)]
    public void Level_CommonFormats_AreRecognised(string line, LogLevel expected)
    {
        Assert.Equal(expected, LogLineParser.Level(line));
    }
}
