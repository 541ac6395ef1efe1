using System.ComponentModel.DataAnnotations;
using ChasiSre.Schemas;

namespace ChasiSre.Streams.Store;

/// <summary>Options of the ClickHouse sink (section <c>ClickHouseSink</c>).</summary>
public sealed class ClickHouseSinkOptions
{
    public const string SectionName = "ClickHouseSink";

    /// <summary>Prefix of the sink's consumer groups: the consumer of each topic is in group <c>&lt;GroupId&gt;.&lt;table&gt;</c> (<see cref="ClickHouseSink.ConsumerGroups"/>).</summary>
    [Required(AllowEmptyStrings = false)]
    public string GroupId { get; set; } = TopicCatalog.Components.Sink;

    /// <summary>A table's batch is written when it holds this many rows ...</summary>
    [Range(1, 1_000_000)]
    public int MaxBatchRows { get; set; } = 10_000;

    /// <summary>... or when its first row has waited this long.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.FromSeconds(1);
}
