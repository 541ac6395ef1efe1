namespace ChasiSre.Executor;

/// <summary>The codes of <see cref="PolicyReason"/>; stable, for dashboards and audit queries.</summary>
public static class PolicyReasonCodes
{
    public const string UnknownAction = "unknown-action";
    public const string TargetKind = "target-kind";
    public const string InvalidParameters = "invalid-parameters";
    public const string RiskRaised = "risk-raised";
    public const string LayerUnspecified = "layer-unspecified";
    public const string OutsideIncident = "outside-incident";
    public const string BlastRadiusObjects = "blast-radius-objects";
    public const string BlastRadiusRate = "blast-radius-rate";
    public const string FreezeWindow = "freeze-window";
    public const string Rule = "rule";
    public const string DefaultDecision = "default";
    public const string HostLayerDefault = "host-layer-default";
}
