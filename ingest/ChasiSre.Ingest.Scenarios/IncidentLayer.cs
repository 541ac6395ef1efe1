namespace ChasiSre.Ingest.Scenarios;

/// <summary>Where the cause of an incident lives.</summary>
public enum IncidentLayer
{
    Host,
    Virtual,
    Business,
}
