namespace ChasiSre.Api;

/// <summary>What the Alertmanager webhook did: every alert became one signal on <see cref="Topic"/>.</summary>
public sealed record AlertIntakeResponse(int Accepted, string Topic, IReadOnlyList<string> SignalIds);
