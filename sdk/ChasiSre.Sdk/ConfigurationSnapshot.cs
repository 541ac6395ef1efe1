namespace ChasiSre.Sdk;

/// <summary>Current configuration of the business system; secret-looking values are redacted by the SDK.</summary>
public sealed record ConfigurationSnapshot(string Version, IReadOnlyDictionary<string, string> Values);
