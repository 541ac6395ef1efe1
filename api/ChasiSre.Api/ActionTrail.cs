using ChasiSre.Schemas.V1;

namespace ChasiSre.Api;

/// <summary>The stored records of one action, oldest first (by sequence, then time), with the time of each row.</summary>
internal sealed record ActionTrail(string ActionId, IReadOnlyList<(ActionRecord Record, DateTimeOffset At)> Steps)
{
    public ActionRecord Latest => Steps[^1].Record;

    public int LatestSequence => Steps.Max(s => s.Record.Sequence);

    /// <summary>The action's tenant: the last one a step named (the record's, else its target's, as the sink stores it); empty for a platform action.</summary>
    public string Tenant => Steps.Select(s => s.Record.Tenant.Length > 0 ? s.Record.Tenant : s.Record.Remediation?.Target?.Tenant ?? "").LastOrDefault(t => t.Length > 0) ?? "";

    public string IncidentId => Steps.Select(s => s.Record.IncidentId).LastOrDefault(i => i.Length > 0) ?? "";

    /// <summary>The last remediation a step carried (decision and result records may leave it out).</summary>
    public Remediation? Remediation => Steps.Select(s => s.Record.Remediation).LastOrDefault(r => r is not null);

    /// <summary>Whether a step recorded what a rollback restores.</summary>
    public bool Reversible => Steps.Any(s => s.Record.RollbackState.Length > 0);

    /// <summary>The trail with a record that is published but not stored yet appended.</summary>
    public ActionTrail With(ActionRecord record, DateTimeOffset at) => this with { Steps = [.. Steps, (record, at)] };
}
