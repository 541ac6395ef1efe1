namespace ChasiSre.Streams.Detection.Tests;

public sealed class CronScheduleTests
{
    [Theory]
    [InlineData("*/15 * * * *", "2026-03-01T10:07:00Z", "2026-03-01T10:00:00Z")]
    [InlineData("0 2 * * *", "2026-03-01T10:00:00Z", "2026-03-01T02:00:00Z")]
    [InlineData("0 2 * * *", "2026-03-01T01:59:00Z", "2026-02-28T02:00:00Z")]
    [InlineData("@hourly", "2026-03-01T10:59:30Z", "2026-03-01T10:00:00Z")]
    [InlineData("@daily", "2026-03-01T10:00:00Z", "2026-03-01T00:00:00Z")]
    [InlineData("@weekly", "2026-03-04T10:00:00Z", "2026-03-01T00:00:00Z")]
    [InlineData("@monthly", "2026-03-01T00:00:00Z", "2026-03-01T00:00:00Z")]
    [InlineData("@yearly", "2026-03-01T10:00:00Z", "2026-01-01T00:00:00Z")]
    [InlineData("30 9 * * mon-fri", "2026-03-01T10:00:00Z", "2026-02-27T09:30:00Z")]
    [InlineData("0 0 29 feb *", "2026-03-01T10:00:00Z", "2024-02-29T00:00:00Z")]
    [InlineData("0 12 1 * 0", "2026-03-05T10:00:00Z", "2026-03-01T12:00:00Z")]
    [InlineData("5,35 */6 * jan,mar *", "2026-03-01T13:00:00Z", "2026-03-01T12:35:00Z")]
    [InlineData("0 0 * * 7", "2026-03-04T10:00:00Z", "2026-03-01T00:00:00Z")]
    [InlineData("10-20/5 8 * * *", "2026-03-01T09:00:00Z", "2026-03-01T08:20:00Z")]
    public void Previous_Schedule_LatestFireTimeAtOrBefore(string schedule, string at, string expected)
    {
        Assert.True(CronSchedule.TryParse(schedule, out var parsed, out var error), error);

        var previous = parsed!.Previous(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), previous);
    }

    [Theory]
    [InlineData("")]
    [InlineData("* * * *")]
    [InlineData("60 * * * *")]
    [InlineData("* 24 * * *")]
    [InlineData("* * 0 * *")]
    [InlineData("* * * 13 *")]
    [InlineData("*/0 * * * *")]
    [InlineData("5-1 * * * *")]
    [InlineData("@every 5m")]
    [InlineData("* * * foo *")]
    public void TryParse_InvalidSchedule_FalseWithReason(string schedule)
    {
        Assert.False(CronSchedule.TryParse(schedule, out var parsed, out var error));
        Assert.Null(parsed);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Previous_TimeZone_FiresAtLocalTime()
    {
        Assert.True(CronSchedule.TryParse("0 9 * * *", out var parsed, out _));
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        var previous = parsed!.Previous(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), berlin);

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero), previous);
    }

    [Fact]
    public void Between_HourlyOverThreeHours_ThreeFireTimesOldestFirst()
    {
        Assert.True(CronSchedule.TryParse("@hourly", out var parsed, out _));

        var times = parsed!.Between(TestClusters.T0.AddHours(-3), TestClusters.T0, 100);

        Assert.Equal([TestClusters.T0.AddHours(-2), TestClusters.T0.AddHours(-1), TestClusters.T0], times);
    }
}
