using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ChasiSre.Deploy.Tests;

/// <summary>
/// What Grafana and the grafana-clickhouse-datasource plugin (v4, pkg/macros) do to a panel's rawSql before
/// ClickHouse sees it: template variables first (Grafana: <c>$name</c>, <c>${name}</c>, <c>${name:singlequote}</c>,
/// <c>${name:csv}</c>; a custom "All" value is inserted unformatted), then the plugin's macros
/// <c>$__timeFilter(col)</c>, <c>$__timeFilter_ms(col)</c>, <c>$__fromTime</c>, <c>$__toTime</c>,
/// <c>$__fromTime_ms</c>, <c>$__toTime_ms</c>, <c>$__timeInterval(col)</c>, <c>$__timeInterval_ms(col)</c>,
/// <c>$__interval_s</c>. A macro or variable it does not know is an error, not left in the SQL.
/// </summary>
internal sealed partial class GrafanaMacros(DateTimeOffset from, DateTimeOffset to, TimeSpan interval, IReadOnlyDictionary<string, GrafanaVariable> variables)
{
    public string Expand(string rawSql)
    {
        ArgumentNullException.ThrowIfNull(rawSql);
        var sql = Variable().Replace(rawSql, ReplaceVariable);
        sql = MacroWithArgument().Replace(sql, ReplaceMacroWithArgument);
        sql = Macro().Replace(sql, ReplaceMacro);
        var left = Regex.Match(sql, @"\$[A-Za-z_{]");
        return left.Success ? throw new InvalidOperationException($"Unexpanded '{sql.Substring(left.Index, Math.Min(30, sql.Length - left.Index))}' in: {sql}") : sql;
    }

    private string ReplaceVariable(Match match)
    {
        var name = match.Groups["braced"].Success ? match.Groups["braced"].Value : match.Groups["plain"].Value;
        if (name.StartsWith("__", StringComparison.Ordinal))
        {
            return match.Value; // a macro, expanded next
        }

        if (!variables.TryGetValue(name, out var variable))
        {
            throw new InvalidOperationException($"Template variable '{name}' is not defined.");
        }

        if (variable.IsAll && variable.AllValue is { } all)
        {
            return all; // Grafana skips formatting for a custom all value
        }

        var format = match.Groups["format"].Success ? match.Groups["format"].Value : null;
        return format switch
        {
            null or "raw" => string.Join(",", variable.Values),
            "singlequote" => string.Join(",", variable.Values.Select(v => "'" + v.Replace("'", "\\'", StringComparison.Ordinal) + "'")),
            "doublequote" => string.Join(",", variable.Values.Select(v => "\"" + v.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"")),
            "csv" => string.Join(",", variable.Values),
            _ => throw new InvalidOperationException($"Variable format '{format}' is not supported here."),
        };
    }

    private string ReplaceMacroWithArgument(Match match)
    {
        var column = match.Groups["arg"].Value.Trim();
        return match.Groups["name"].Value switch
        {
            "timeFilter" => $"{column} >= {DateTime(from)} AND {column} <= {DateTime(to)}",
            "timeFilter_ms" => $"{column} >= {DateTime64(from)} AND {column} <= {DateTime64(to)}",
            "timeInterval" => string.Create(CultureInfo.InvariantCulture, $"toStartOfInterval(toDateTime({column}), INTERVAL {IntervalSeconds} second)"),
            "timeInterval_ms" => string.Create(CultureInfo.InvariantCulture, $"toStartOfInterval(toDateTime64({column}, 3), INTERVAL {Math.Max((long)interval.TotalMilliseconds, 1)} millisecond)"),
            var other => throw new InvalidOperationException($"Macro $__{other}(...) is not supported."),
        };
    }

    private string ReplaceMacro(Match match) => match.Groups["name"].Value switch
    {
        "fromTime" => DateTime(from),
        "toTime" => DateTime(to),
        "fromTime_ms" => DateTime64(from),
        "toTime_ms" => DateTime64(to),
        "interval_s" => IntervalSeconds.ToString(CultureInfo.InvariantCulture),
        var other => throw new InvalidOperationException($"Macro $__{other} is not supported."),
    };

    private long IntervalSeconds => Math.Max((long)interval.TotalSeconds, 1);

    private static string DateTime(DateTimeOffset t) => string.Create(CultureInfo.InvariantCulture, $"toDateTime({t.ToUnixTimeSeconds()})");

    private static string DateTime64(DateTimeOffset t) => string.Create(CultureInfo.InvariantCulture, $"fromUnixTimestamp64Milli({t.ToUnixTimeMilliseconds()})");

    [GeneratedRegex(@"\$\{(?<braced>[A-Za-z_][A-Za-z0-9_]*)(:(?<format>[a-z]+))?\}|\$(?<plain>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Variable();

    [GeneratedRegex(@"\$__(?<name>timeFilter_ms|timeFilter|timeInterval_ms|timeInterval)\((?<arg>[^()]*)\)")]
    private static partial Regex MacroWithArgument();

    [GeneratedRegex(@"\$__(?<name>[A-Za-z_]+)")]
    private static partial Regex Macro();
}
