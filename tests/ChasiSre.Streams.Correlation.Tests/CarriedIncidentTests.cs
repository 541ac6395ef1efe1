using ChasiSre.Schemas.V1;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Streams.Correlation.Tests;

/// <summary>Open incidents carried over a restart (<see cref="IncidentCorrelator.Carry"/>) whose cause did not come back.</summary>
public sealed class CarriedIncidentTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    private static Incident Earlier(IncidentState state = IncidentState.Open) => new()
    {
        Id = "inc-before-restart",
        Fingerprint = "fp-before-restart",
        State = state,
        Revision = 4,
        Category = "CrashLoop",
        OpenedAt = Timestamp.FromDateTimeOffset(T0.AddMinutes(-30)),
        Signals = { new Signal { Id = "sig-1", Active = true, Category = "CrashLoop" } },
    };

    [Fact]
    public void Advance_CarriedIncidentNotSeenAgain_ResolvedAfterResolveAfterUnderItsId()
    {
        var options = new CorrelationOptions();
        var correlator = new IncidentCorrelator(options);
        correlator.Carry([Earlier()]);

        Assert.Empty(correlator.Advance(T0));
        Assert.Empty(correlator.Advance(T0 + options.ResolveAfter - TimeSpan.FromSeconds(1)));
        var change = Assert.Single(correlator.Advance(T0 + options.ResolveAfter));

        Assert.Equal(IncidentChangeKind.Resolved, change.Kind);
        Assert.Equal("inc-before-restart", change.Incident.Id);
        Assert.Equal(IncidentState.Resolved, change.Incident.State);
        Assert.Equal(5, change.Incident.Revision);
        Assert.All(change.Incident.Signals, s => Assert.False(s.Active));
        Assert.Empty(correlator.Advance(T0 + options.ResolveAfter + options.ResolveAfter));
    }

    [Fact]
    public void Carry_ResolvedIncident_IsIgnored()
    {
        var correlator = new IncidentCorrelator(new CorrelationOptions());
        correlator.Carry([Earlier(IncidentState.Resolved)]);

        Assert.Empty(correlator.Advance(T0));
        Assert.Empty(correlator.Advance(T0 + TimeSpan.FromHours(1)));
    }
}
