namespace ChasiSre.Ingest.Metrics.Tests;

public sealed class KubeQuantityTests
{
    [Theory]
    [InlineData("12345678n", "0.012345678")]
    [InlineData("250m", "0.250")]
    [InlineData("2", "2")]
    [InlineData("1500u", "0.0015")]
    [InlineData("123456Ki", "126418944")]
    [InlineData("1.5Gi", "1610612736")]
    [InlineData("64Mi", "67108864")]
    [InlineData("1k", "1000")]
    [InlineData("2M", "2000000")]
    [InlineData("1e3", "1000")]
    [InlineData("5E-3", "0.005")]
    [InlineData("1E", "1000000000000000000")]
    [InlineData("0", "0")]
    public void TryParse_ValidQuantity_ReturnsExactValue(string text, string expected)
    {
        Assert.True(KubeQuantity.TryParse(text, out var value));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("12Q")]
    [InlineData("1.2.3")]
    [InlineData("Ki")]
    [InlineData("12 Ki")]
    public void TryParse_Invalid_ReturnsFalse(string text) => Assert.False(KubeQuantity.TryParse(text, out _));
}
