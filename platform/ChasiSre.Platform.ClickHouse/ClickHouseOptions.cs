using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Platform.ClickHouse;

/// <summary>Options of the ClickHouse store (section <c>ClickHouse</c>).</summary>
public sealed class ClickHouseOptions : IValidatableObject
{
    public const string SectionName = "ClickHouse";

    public const int DefaultInsertBatchSize = 100_000;

    /// <summary>Embedded chDB (default) or a ClickHouse server.</summary>
    [EnumDataType(typeof(ClickHouseBackend))]
    public ClickHouseBackend Backend { get; set; } = ClickHouseBackend.Embedded;

    /// <summary>chDB's data directory (created if missing); one per process.</summary>
    [Required(AllowEmptyStrings = false)]
    public string EmbeddedDataPath { get; set; } = ".chasi/chdb";

    /// <summary>ClickHouse.Driver connection string, e.g. <c>Host=clickhouse;Port=8123;Username=chasi;Password=...</c>. Required for <see cref="ClickHouseBackend.Server"/>.</summary>
    public string? ServerConnectionString { get; set; }

    /// <summary>The database the migrations create and the pipeline writes to.</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[A-Za-z_][A-Za-z0-9_]{0,127}$", ErrorMessage = "Database must be a plain identifier (letters, digits, underscore).")]
    public string Database { get; set; } = "chasi";

    /// <summary>Rows per INSERT statement.</summary>
    [Range(1, 10_000_000)]
    public int InsertBatchSize { get; set; } = DefaultInsertBatchSize;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Backend == ClickHouseBackend.Server && string.IsNullOrWhiteSpace(ServerConnectionString))
        {
            yield return new ValidationResult(
                $"{nameof(ServerConnectionString)} is required when {nameof(Backend)} is {nameof(ClickHouseBackend.Server)}.",
                [nameof(ServerConnectionString)]);
        }
    }
}
