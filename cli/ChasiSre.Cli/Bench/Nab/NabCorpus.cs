using System.Globalization;
using System.Text.Json;

namespace ChasiSre.Cli.Bench.Nab;

/// <summary>Reads a NAB checkout: <c>data/&lt;category&gt;/*.csv</c>, <c>labels/combined_windows.json</c> and <c>config/profiles.json</c>.</summary>
internal static class NabCorpus
{
    public static IReadOnlyList<NabDataFile> LoadFiles(string root)
    {
        using var windowsJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "labels", "combined_windows.json")));
        var files = new List<NabDataFile>();
        foreach (var path in Directory.EnumerateFiles(Path.Combine(root, "data"), "*.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(Path.Combine(root, "data"), path).Replace('\\', '/');
            if (!windowsJson.RootElement.TryGetProperty(relative, out var windowList))
            {
                continue;
            }

            var timestamps = new List<DateTime>();
            var values = new List<double>();
            foreach (var line in File.ReadLines(path).Skip(1))
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                var comma = line.IndexOf(',', StringComparison.Ordinal);
                timestamps.Add(ParseTimestamp(line[..comma]));
                values.Add(double.Parse(line.AsSpan(comma + 1), NumberStyles.Float, CultureInfo.InvariantCulture));
            }

            var windows = new List<(int Start, int End)>();
            foreach (var window in windowList.EnumerateArray())
            {
                var start = ParseTimestamp(window[0].GetString()!);
                var end = ParseTimestamp(window[1].GetString()!);
                var first = timestamps.FindIndex(t => t >= start);
                var last = timestamps.FindLastIndex(t => t <= end);
                if (first >= 0 && last >= first)
                {
                    windows.Add((first, last));
                }
            }

            files.Add(new NabDataFile(relative.Split('/')[0], relative, [.. values], windows));
        }

        return files;
    }

    public static IReadOnlyList<NabProfile> LoadProfiles(string root)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "config", "profiles.json")));
        return [.. json.RootElement.EnumerateObject().Select(p =>
        {
            var costs = p.Value.GetProperty("CostMatrix");
            return new NabProfile(p.Name, costs.GetProperty("tpWeight").GetDouble(), costs.GetProperty("fpWeight").GetDouble(), costs.GetProperty("fnWeight").GetDouble());
        })];
    }

    private static DateTime ParseTimestamp(string text) =>
        DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
