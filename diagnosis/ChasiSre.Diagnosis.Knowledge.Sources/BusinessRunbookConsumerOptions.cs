using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Diagnosis.Knowledge.Sources;

/// <summary>Options of <see cref="BusinessRunbookConsumer"/>.</summary>
public sealed class BusinessRunbookConsumerOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Diagnosis:Knowledge:AdapterRunbooks";

    /// <summary>Consumer group on <c>chasi.business.v1</c> (its own: it reads every record, whatever the detection topology does).</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,200}$")]
    public string GroupId { get; set; } = "chasi-kb-adapter-runbooks";

    /// <summary>Largest runbook body (UTF-8 bytes) indexed; a larger one is dead-lettered.</summary>
    [Range(1, 8 << 20)]
    public int MaxRunbookBytes { get; set; } = 256 << 10;
}
