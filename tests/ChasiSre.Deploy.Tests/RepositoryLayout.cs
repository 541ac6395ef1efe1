using ChasiSre.TestKit;

namespace ChasiSre.Deploy.Tests;

/// <summary>Paths in the repository the tests run from (found by walking up to ChasiSre.sln).</summary>
internal static class RepositoryLayout
{
    public static string Root => RepositoryRoot.Location;

    public static string Chart => Path.Combine(Root, "deploy", "helm", "chasi-sre");

    public static string Example(string name) => Path.Combine(Root, "deploy", "helm", "examples", name + ".yaml");

    public static string Generated(string file) => Path.Combine(Root, "deploy", "generated", file);

    public static string Dashboards => Path.Combine(Root, "deploy", "grafana", "dashboards");

    public static string Scenario(string name) => Path.Combine(Root, "tests", "scenarios", name);
}
