namespace ChasiSre.Platform.Hosting;

/// <summary>Tags that put a health check behind <c>/healthz</c> (live) or <c>/readyz</c> (ready).</summary>
public static class HealthTags
{
    /// <summary>The process is alive; restart it when this fails.</summary>
    public const string Live = "live";

    /// <summary>The component can do its work (Kafka reachable, store migrated); take it out of rotation when this fails.</summary>
    public const string Ready = "ready";
}
