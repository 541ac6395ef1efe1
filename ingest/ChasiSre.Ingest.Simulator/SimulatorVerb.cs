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

    /// <summary>Methods the simulator does not serve and unknown paths.</summary>
    Other,

    /// <summary>POST: create (including a dry run).</summary>
    Create,

    /// <summary>PUT: update, of the object or its <c>status</c> or <c>scale</c> subresource.</summary>
    Update,

    /// <summary>PATCH: merge, JSON, strategic merge or apply patch, of the object or a subresource.</summary>
    Patch,

    /// <summary>DELETE: of one object or a collection.</summary>
    Delete,
}
