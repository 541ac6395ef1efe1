using ChasiSre.Schemas.V1;

namespace ChasiSre.Safety.Tests;

/// <summary>What the executor's flow wrote on <c>chasi.actions.v1</c> under one policy, and each simulated cluster's resourceVersion before and after.</summary>
internal sealed record FlowResult(
    IReadOnlyList<ActionRecord> Records,
    IReadOnlyDictionary<string, long> ResourceVersionsBefore,
    IReadOnlyDictionary<string, long> ResourceVersionsAfter);
