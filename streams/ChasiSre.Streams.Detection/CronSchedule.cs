using System.Globalization;

namespace ChasiSre.Streams.Detection;

/// <summary>
/// A standard 5-field cron schedule (minute hour day-of-month month day-of-week) as Kubernetes CronJobs accept it:
/// <c>*</c>, <c>?</c>, lists, ranges, steps (<c>*/5</c>, <c>1-30/10</c>, <c>5/15</c>), month and weekday names, 7 for
/// Sunday, and the macros @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly. As in the CronJob controller,
/// when day-of-month and day-of-week are both restricted a day matching either fires; when either starts with * or ?,
/// both must match.
/// </summary>
public sealed class CronSchedule
{
    private static readonly string[] MonthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    private const int MaxDaysSearched = (366 * 4) + 2;

    private readonly bool[] minutes;
    private readonly bool[] hours;
    private readonly bool[] daysOfMonth;
    private readonly bool[] months;
    private readonly bool[] daysOfWeek;
    private readonly bool dayOfMonthStar;
    private readonly bool dayOfWeekStar;

    private CronSchedule(string text, bool[][] fields, bool dayOfMonthStar, bool dayOfWeekStar)
    {
        Text = text;
        (minutes, hours, daysOfMonth, months, daysOfWeek) = (fields[0], fields[1], fields[2], fields[3], fields[4]);
        this.dayOfMonthStar = dayOfMonthStar;
        this.dayOfWeekStar = dayOfWeekStar;
    }

    /// <summary>The schedule as written.</summary>
    public string Text { get; }

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, out CronSchedule? schedule, out string? error)
    {
        schedule = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty schedule";
            return false;
        }

        var expanded = text.Trim().ToLowerInvariant() switch
        {
            "@yearly" or "@annually" => "0 0 1 1 *",
            "@monthly" => "0 0 1 * *",
            "@weekly" => "0 0 * * 0",
            "@daily" or "@midnight" => "0 0 * * *",
            "@hourly" => "0 * * * *",
            var other when other.StartsWith('@') => null,
            var other => other,
        };
        if (expanded is null)
        {
            error = $"unknown macro {text.Trim()}";
            return false;
        }

        var parts = expanded.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 5)
        {
            error = $"expected 5 fields, got {parts.Length}";
            return false;
        }

        (int Min, int Max, string[]? Names, string Label)[] specs =
        [
            (0, 59, null, "minute"), (0, 23, null, "hour"), (1, 31, null, "day of month"), (1, 12, MonthNames, "month"), (0, 7, DayNames, "day of week"),
        ];
        var fields = new bool[5][];
        for (var i = 0; i < 5; i++)
        {
            var (min, max, names, label) = specs[i];
            if (!TryParseField(parts[i], min, max, names, i == 3 ? 1 : 0, out fields[i], out var fieldError))
            {
                error = $"{label} field \"{parts[i]}\": {fieldError}";
                return false;
            }
        }

        // Day of week 7 is Sunday.
        if (fields[4][7])
        {
            fields[4][0] = true;
        }

        schedule = new CronSchedule(text.Trim(), fields, IsStar(parts[2]), IsStar(parts[4]));
        return true;
    }

    /// <summary>The latest fire time at or before <paramref name="atOrBefore"/> in <paramref name="zone"/> (UTC when null), within four years.</summary>
    public DateTimeOffset? Previous(DateTimeOffset atOrBefore, TimeZoneInfo? zone = null)
    {
        zone ??= TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(atOrBefore, zone).DateTime;
        var startDay = local.Date;
        for (var d = 0; d < MaxDaysSearched; d++)
        {
            var day = startDay.AddDays(-d);
            if (!DayMatches(day))
            {
                continue;
            }

            for (var h = d == 0 ? local.Hour : 23; h >= 0; h--)
            {
                if (!hours[h])
                {
                    continue;
                }

                for (var m = d == 0 && h == local.Hour ? local.Minute : 59; m >= 0; m--)
                {
                    if (minutes[m] && At(day, h, m, zone) is { } fire)
                    {
                        return fire;
                    }
                }
            }
        }

        return null;
    }

    /// <summary>The fire times after <paramref name="after"/> and at or before <paramref name="until"/>, oldest first, at most <paramref name="max"/>.</summary>
    public IReadOnlyList<DateTimeOffset> Between(DateTimeOffset after, DateTimeOffset until, int max, TimeZoneInfo? zone = null)
    {
        var found = new List<DateTimeOffset>();
        var cursor = until;
        while (found.Count < max && Previous(cursor, zone) is { } fire && fire > after)
        {
            found.Add(fire);
            cursor = fire.AddMinutes(-1);
        }

        found.Reverse();
        return found;
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    private bool DayMatches(DateTime day)
    {
        if (!months[day.Month])
        {
            return false;
        }

        var dom = daysOfMonth[day.Day];
        var dow = daysOfWeek[(int)day.DayOfWeek];
        return dayOfMonthStar || dayOfWeekStar ? dom && dow : dom || dow;
    }

    private static DateTimeOffset? At(DateTime day, int hour, int minute, TimeZoneInfo zone)
    {
        var local = new DateTime(day.Year, day.Month, day.Day, hour, minute, 0, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            return null;
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    private static bool IsStar(string field) => field.StartsWith('*') || field.StartsWith('?');

    private static bool TryParseField(string field, int min, int max, string[]? names, int nameOffset, out bool[] set, out string? error)
    {
        set = new bool[max + 1];
        error = null;
        foreach (var item in field.Split(','))
        {
            if (item.Length == 0)
            {
                error = "empty list item";
                return false;
            }

            var slash = item.IndexOf('/', StringComparison.Ordinal);
            var rangeText = slash < 0 ? item : item[..slash];
            var step = 1;
            if (slash >= 0 && (!int.TryParse(item[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out step) || step <= 0))
            {
                error = $"bad step in \"{item}\"";
                return false;
            }

            int low, high;
            if (rangeText is "*" or "?")
            {
                (low, high) = (min, max == 7 ? 6 : max);
            }
            else
            {
                var dash = rangeText.IndexOf('-', StringComparison.Ordinal);
                if (!TryValue(dash < 0 ? rangeText : rangeText[..dash], min, max, names, nameOffset, out low))
                {
                    error = $"bad value in \"{item}\"";
                    return false;
                }

                if (dash < 0)
                {
                    high = slash >= 0 ? (max == 7 ? 6 : max) : low;
                }
                else if (!TryValue(rangeText[(dash + 1)..], min, max, names, nameOffset, out high))
                {
                    error = $"bad value in \"{item}\"";
                    return false;
                }

                if (high < low)
                {
                    error = $"range \"{rangeText}\" ends before it starts";
                    return false;
                }
            }

            for (var v = low; v <= high; v += step)
            {
                set[v] = true;
            }
        }

        return true;
    }

    private static bool TryValue(string text, int min, int max, string[]? names, int nameOffset, out int value)
    {
        if (names is not null && Array.IndexOf(names, text) is var index and >= 0)
        {
            value = index + nameOffset;
            return true;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }
}
