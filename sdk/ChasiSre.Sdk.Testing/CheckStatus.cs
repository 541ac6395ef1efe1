namespace ChasiSre.Sdk.Testing;

/// <summary>Result of one conformance check.</summary>
public enum CheckStatus
{
    Pass,
    Fail,

    /// <summary>Not evaluated because the call it depends on gave no response to evaluate.</summary>
    Skip,
}
