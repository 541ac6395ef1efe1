using ChasiSre.TestKit;

namespace ChasiSre.Operator.Tests;

/// <summary>Paths in the repository the tests run from (found by walking up to ChasiSre.sln).</summary>
internal static class RepositoryLayout
{
    public static string Root => RepositoryRoot.Location;

    public static string Crds => Path.Combine(Root, "deploy", "helm", "chasi-sre", "crds");

    public static string ExamplePolicy => Path.Combine(Root, "executor", "ChasiSre.Executor", "examples", "policy.yaml");
}
