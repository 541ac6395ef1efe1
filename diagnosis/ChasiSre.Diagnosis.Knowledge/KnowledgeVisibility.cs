namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>Who may retrieve a document's chunks.</summary>
public enum KnowledgeVisibility
{
    /// <summary>Every tenant (platform runbooks, shared docs).</summary>
    Shared,

    /// <summary>Only the owning tenant.</summary>
    Private,
}
