namespace ChasiSre.Deploy.Tests;

/// <summary>A dashboard template variable's current selection: its values, or "All" with the variable's custom all value.</summary>
internal sealed record GrafanaVariable(IReadOnlyList<string> Values, bool IsAll = false, string? AllValue = null)
{
    public static GrafanaVariable Single(string value) => new([value]);

    public static GrafanaVariable All(string? allValue) => new([], true, allValue);
}
