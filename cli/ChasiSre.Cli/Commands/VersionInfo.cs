namespace ChasiSre.Cli.Commands;

/// <summary>What <c>chasi version</c> prints.</summary>
internal sealed record VersionInfo(string Version, string Commit, string Runtime, string Os, int SchemaVersion);
