namespace ChasiSre.Cli.Operations;

/// <summary>A validated <c>chasi replay</c>: the window [<paramref name="From"/>, <paramref name="To"/>), its label, whether to diagnose, and the runbooks the diagnosis retrieves from.</summary>
internal sealed record ReplayRequest(DateTimeOffset From, DateTimeOffset To, string Label, bool DetectorsOnly, string Runbooks);
