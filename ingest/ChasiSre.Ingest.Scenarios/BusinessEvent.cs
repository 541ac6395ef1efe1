namespace ChasiSre.Ingest.Scenarios;

/// <summary>A business event; <see cref="At"/> is the offset from the scenario start (the step's time when omitted).</summary>
public sealed record BusinessEvent(string Type, string Reason, string Message, TimeSpan At);
