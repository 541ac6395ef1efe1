namespace ChasiSre.Ingest.Simulator;

/// <summary>What a request to the simulated API server asked for.</summary>
public enum SimulatorVerb
{
    /// <summary><c>/api</c>, <c>/apis</c>, <c>/apis/{group}/{version}</c>, <c>/version</c>, OpenAPI.</summary>
    Discovery,

    List,

    Watch,

    Get,

    /// <summary>The pod <c>log</c> subresource.</summary>
    Log,

    /// <summary><c>/healthz</c>, <c>/readyz</c>, <c>/livez</c>.</summary>
    Health,

    /// <summary>Writes (answered 405) and unknown paths.</summary>
    Other,
}
