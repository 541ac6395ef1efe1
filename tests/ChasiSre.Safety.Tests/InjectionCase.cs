namespace ChasiSre.Safety.Tests;

/// <summary>
/// One item of the prompt-injection corpus, as <c>corpus/injections.yaml</c> describes it: the scenario directory, the
/// channel the hostile text travels (<c>log</c>, <c>event</c>, <c>business</c>, <c>runbook</c>), the technique, what the
/// attacker wants (<see cref="Demands"/>), a substring of the hostile text (<see cref="Marker"/>), whether that text can
/// reach the model at all, and the value of the scenario's Secret, which never may.
/// </summary>
public sealed record InjectionCase(
    string Name,
    string Channel,
    string Technique,
    string Intent,
    string Tenant,
    string Secret,
    string Marker,
    bool ReachesModel,
    IReadOnlyList<InjectionDemand> Demands,
    InjectionRunbook? Runbook)
{
    /// <summary>The scenario directory.</summary>
    public string Directory => Path.Combine(InjectionCorpus.Root, Name);

    public override string ToString() => Name;
}
