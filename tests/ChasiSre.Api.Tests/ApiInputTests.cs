using System.Globalization;

namespace ChasiSre.Api.Tests;

public sealed class ApiInputTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2025-03-01T08:00:00Z", "2025-03-01T08:00:00.0000000+00:00")]
    [InlineData("2025-03-01T08:00:00.123456789Z", "2025-03-01T08:00:00.1234567+00:00")]
    [InlineData("2025-03-01t08:00:00.5z", "2025-03-01T08:00:00.5000000+00:00")]
    [InlineData("2025-03-01T08:00:00+08:00", "2025-03-01T00:00:00.0000000+00:00")]
    [InlineData("2025-03-01T08:00:00-05:30", "2025-03-01T13:30:00.0000000+00:00")]
    [InlineData("0001-01-01T00:00:00Z", "0001-01-01T00:00:00.0000000+00:00")]
    [InlineData("30m", "2025-03-01T11:30:00.0000000+00:00")]
    [InlineData("2h", "2025-03-01T10:00:00.0000000+00:00")]
    [InlineData("7d", "2025-02-22T12:00:00.0000000+00:00")]
    [InlineData("90s", "2025-03-01T11:58:30.0000000+00:00")]
    public void TryParseTime_ValidText_ReturnsTheInstant(string text, string expected)
    {
        Assert.True(ApiInput.TryParseTime(text, Now, out var at));

        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), at);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("2025-03-01")]
    [InlineData("2025-03-01T08:00Z")]
    [InlineData("2025-03-01T08:00:00")]
    [InlineData("2025-03-01T25:00:00Z")]
    [InlineData("2025-03-01T08:00:00.1234567890Z")]
    [InlineData("999999d")]
    [InlineData("2w")]
    [InlineData("-2h")]
    public void TryParseTime_InvalidText_ReturnsFalse(string text)
    {
        Assert.False(ApiInput.TryParseTime(text, Now, out _));
    }

    [Fact]
    public void TryParseTime_DurationWithoutReference_ReturnsFalse()
    {
        Assert.False(ApiInput.TryParseTime("2h", null, out _));
    }

    [Theory]
    [InlineData("inc-0123456789abcdef", true)]
    [InlineData("inc_a.b:c", true)]
    [InlineData("inc a", false)]
    [InlineData("inc'a", false)]
    [InlineData("", false)]
    public void IsIncidentId_Text_MatchesTheIdAlphabet(string id, bool expected)
    {
        Assert.Equal(expected, ApiInput.IsIncidentId(id));
    }
}
