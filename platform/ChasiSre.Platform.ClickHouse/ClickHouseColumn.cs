namespace ChasiSre.Platform.ClickHouse;

/// <summary>A result column: its name and ClickHouse type as the engine reports it (for example <c>DateTime64(3, 'UTC')</c>).</summary>
public sealed record ClickHouseColumn(string Name, string Type);
