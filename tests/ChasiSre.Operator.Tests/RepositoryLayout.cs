namespace ChasiSre.Operator.Tests;

/// <summary>Paths in the repository the tests run from (found by walking up to ChasiSre.sln).</summary>
internal static class RepositoryLayout
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ChasiSre.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"ChasiSre.sln not found above {AppContext.BaseDirectory}.");
    });

    public static string Root => RootPath.Value;

    public static string Crds => Path.Combine(Root, "deploy", "helm", "chasi-sre", "crds");

    public static string ExamplePolicy => Path.Combine(Root, "executor", "ChasiSre.Executor", "examples", "policy.yaml");
}
