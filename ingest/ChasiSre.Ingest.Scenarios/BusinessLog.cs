namespace ChasiSre.Ingest.Scenarios;

/// <summary>A business log entry; <see cref="At"/> is the offset from the scenario start (the step's time when omitted).</summary>
public sealed record BusinessLog(string Level, string Message, TimeSpan At);
