namespace ChasiSre.Ingest.Simulator;

/// <summary>A resourceVersion or continue token older than what the store still holds (HTTP 410).</summary>
internal sealed class GoneException(string message) : Exception(message);
