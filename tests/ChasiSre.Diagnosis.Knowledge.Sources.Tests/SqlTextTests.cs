namespace ChasiSre.Diagnosis.Knowledge.Sources.Tests;

public sealed class SqlTextTests(SourcesFixture fixture)
{
    [Theory]
    [InlineData("plain")]
    [InlineData(@"o'brien\")]
    [InlineData("line\nbreak\ttab\0nul\u0001ctl")]
    [InlineData("'); DROP DATABASE x; --")]
    public async Task String_AnyValue_RoundTripsThroughChDb(string value)
    {
        var rows = await fixture.Store.QueryAsync($"SELECT {SqlText.String(value)} AS v", TestContext.Current.CancellationToken);

        Assert.Equal(value, rows[0].Get<string>("v"));
    }

    [Fact]
    public void List_NoValues_MatchesNothing() => Assert.Equal("(NULL)", SqlText.List([]));
}
