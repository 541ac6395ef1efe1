using ChasiSre.Executor;

namespace ChasiSre.Safety.Tests;

/// <summary>
/// The policies the executor's flow runs the corpus under, and the moment it decides at: the most permissive one there
/// is (no freeze window of examples/policy.yaml open), so a policy that would let a hostile action run does.
/// </summary>
internal static class ProposalGate
{
    /// <summary>A Wednesday morning in Berlin: outside examples/policy.yaml's weekend and year-end windows.</summary>
    public static readonly DateTimeOffset Permissive = new(2026, 3, 4, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The example policy file beside the test binaries.</summary>
    public static string ExampleFile { get; } = Path.Combine(AppContext.BaseDirectory, "policies", "policy.yaml");

    /// <summary>Name and file (empty: the built-in <see cref="ActionPolicy.Default"/>) of each policy under test.</summary>
    public static IReadOnlyList<(string Name, string File)> Policies { get; } = [("default", ""), ("examples/policy.yaml", ExampleFile)];
}
