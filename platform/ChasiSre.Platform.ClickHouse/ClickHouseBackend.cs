namespace ChasiSre.Platform.ClickHouse;

/// <summary>Where the analytics tables live.</summary>
public enum ClickHouseBackend
{
    /// <summary>chDB, the ClickHouse engine in this process, persisting to <see cref="ClickHouseOptions.EmbeddedDataPath"/>.</summary>
    Embedded,

    /// <summary>A ClickHouse server or cluster over HTTP through ClickHouse.Driver.</summary>
    Server,
}
