using System.Runtime.CompilerServices;
using PublicApiGenerator;

namespace ChasiSre.Sdk.Tests;

/// <summary>
/// The SDK's public API is approved by snapshot: a change shows up as a diff of
/// <c>PublicApi/ChasiSre.Sdk.approved.txt</c> in review (and an entry in sdk/CHANGELOG.md).
/// To approve a change, copy the <c>.received.txt</c> the failing test writes over the approved file.
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void SdkPublicApi_Generated_MatchesApprovedSnapshot() => Approve(typeof(IBusinessAdapter).Assembly, "ChasiSre.Sdk");

    [Fact]
    public void TestingPublicApi_Generated_MatchesApprovedSnapshot() => Approve(typeof(Testing.AdapterConformance).Assembly, "ChasiSre.Sdk.Testing");

    private static void Approve(System.Reflection.Assembly assembly, string name, [CallerFilePath] string source = "")
    {
        var api = assembly.GeneratePublicApi(new ApiGeneratorOptions { ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute", "System.Reflection.AssemblyMetadataAttribute", "System.Runtime.CompilerServices.InternalsVisibleToAttribute"] })
            .ReplaceLineEndings("\n");
        var folder = Path.Combine(Path.GetDirectoryName(source)!, "PublicApi");
        var approved = Path.Combine(folder, name + ".approved.txt");
        var received = Path.Combine(folder, name + ".received.txt");
        var expected = File.Exists(approved) ? File.ReadAllText(approved).ReplaceLineEndings("\n") : "";
        if (expected != api)
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(received, api);
        }
        else if (File.Exists(received))
        {
            File.Delete(received);
        }

        Assert.True(expected == api, $"The public API of {name} changed; review {received} and copy it over {approved} if intended.");
    }
}
