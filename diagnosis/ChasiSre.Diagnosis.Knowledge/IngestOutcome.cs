namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>What happened to one document or file.</summary>
public enum IngestOutcome
{
    /// <summary>New or changed: its chunks were (re)indexed.</summary>
    Indexed,

    /// <summary>Same content as already indexed: nothing done.</summary>
    Unchanged,

    /// <summary>Not indexed, for an expected reason (empty, binary, duplicate of another source).</summary>
    Skipped,

    /// <summary>Not indexed: unreadable, too large, invalid UTF-8.</summary>
    Failed,

    /// <summary>Its source disappeared (or was removed): its chunks were deleted.</summary>
    Removed,
}
