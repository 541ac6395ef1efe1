using System.Reflection;
using ChasiSre.Platform.Kafka.Embedded;

namespace ChasiSre.Sdk.Tests;

/// <summary>The SDK ships into business pods: among our assemblies it may reference ChasiSre.Schemas only.</summary>
public sealed class ConventionTests
{
    private static readonly string[] AllowedThirdParty = ["System.", "Microsoft.Extensions.", "Microsoft.AspNetCore.", "Google.Protobuf", "Grpc.", "Confluent.Kafka", "netstandard"];

    [Fact]
    public void SdkAssembly_ReferencesOfOurs_AreOnlySchemas()
    {
        Assert.Empty(Violations(typeof(IBusinessAdapter).Assembly));
        Assert.Contains(typeof(IBusinessAdapter).Assembly.GetReferencedAssemblies(), a => a.Name == "ChasiSre.Schemas");
    }

    [Fact]
    public void Violations_AssemblyReferencingPlatform_AreReported()
    {
        // This test assembly really references ChasiSre.Platform.Kafka (it starts the embedded cluster),
        // so the same scan must flag it: the convention test can fail.
        Assert.NotNull(typeof(EmbeddedKafkaCluster));
        var violations = Violations(typeof(ConventionTests).Assembly);
        Assert.Contains("ChasiSre.Platform.Kafka", violations);
        Assert.Contains("ChasiSre.Sdk.Testing", violations);
    }

    [Fact]
    public void SdkAssembly_ThirdPartyReferences_AreAbstractionsAndTransports()
    {
        var others = typeof(IBusinessAdapter).Assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => !n.StartsWith("ChasiSre.", StringComparison.Ordinal) && !AllowedThirdParty.Any(p => n.StartsWith(p, StringComparison.Ordinal)))
            .ToList();
        Assert.Empty(others);
    }

    /// <summary>Our assemblies (ChasiSre.*) that <paramref name="assembly"/> references, other than ChasiSre.Schemas.</summary>
    private static List<string> Violations(Assembly assembly) =>
        [.. assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("ChasiSre.", StringComparison.Ordinal) && n != "ChasiSre.Schemas")];
}
