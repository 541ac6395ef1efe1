namespace ChasiSre.Schemas;

/// <summary>The contract package version this build reads and writes.</summary>
public static class SchemaVersion
{
    /// <summary>Major version of package <c>chasi.v1</c>. A breaking change makes a new package and new topics.</summary>
    public const int Current = 1;

    /// <summary><see cref="Current"/> as it appears in the header.</summary>
    public const string CurrentText = "1";
}
