namespace ChasiSre.Safety.Tests;

/// <summary>One request the obeying model answered: the incident (from the pack's header), the body as sent, its messages, the orders found, the answer, and whether it was the repair round.</summary>
internal sealed record ObeyedRequest(
    string IncidentId,
    string Body,
    IReadOnlyList<(string Role, string Content)> Messages,
    IReadOnlyList<ObeyedDemand> Demands,
    string Answer,
    bool Repair);
