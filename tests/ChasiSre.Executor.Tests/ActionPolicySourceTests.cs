using ChasiSre.Schemas.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ChasiSre.Executor.Tests;

/// <summary>
/// The policy in force follows its file: a new valid content replaces it, an invalid one is refused and the old one
/// stays, a deleted file leaves the default (nothing decided without a person), and a ConfigMap volume's atomic swap
/// (kubelet's ..data symlink) is seen like any other change.
/// </summary>
public sealed class ActionPolicySourceTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("chasi-policy-source-");

    public void Dispose() => _directory.Delete(recursive: true);

    private static string Policy(string name, string decision) => $"""
        apiVersion: chasi.io/v1alpha1
        kind: ActionPolicy
        metadata:
          name: {name}
        spec:
          rules:
          - name: shop-restarts
            match:
              tenants: [shop]
              actions: [rollout-restart]
            decision: {decision}

        """;

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Refresh_ContentChanged_NewPolicyInForce_UnchangedContent_SameInstance()
    {
        var path = Write("policy.yaml", Policy("first", "approval"));
        var source = ActionPolicySource.FromFile(path);
        var first = source.Current;

        Assert.False(source.Refresh());
        Assert.Same(first, source.Current);

        File.WriteAllText(path, Policy("second", "auto"));
        Assert.True(source.Refresh());

        Assert.Equal("second", source.Current.Name);
        Assert.Equal(ActionDecision.Auto, Assert.Single(source.Current.Rules).Decision);
        Assert.Equal(Path.GetFullPath(path), source.File);
    }

    [Fact]
    public void Refresh_InvalidContent_OldPolicyStays_UntilAValidOneArrives()
    {
        var path = Write("policy.yaml", Policy("working", "approval"));
        var source = ActionPolicySource.FromFile(path);

        File.WriteAllText(path, Policy("typo", "sometimes"));
        Assert.False(source.Refresh());
        Assert.Equal("working", source.Current.Name);
        Assert.False(source.Refresh());

        File.WriteAllText(path, new string('#', (int)PolicyLoader.MaxFileBytes + 10));
        Assert.False(source.Refresh());
        Assert.Equal("working", source.Current.Name);

        File.WriteAllText(path, Policy("fixed", "auto"));
        Assert.True(source.Refresh());
        Assert.Equal("fixed", source.Current.Name);
    }

    [Fact]
    public void Refresh_FileDeleted_DefaultPolicyInForce_ThenRecreated_LoadedAgain()
    {
        var path = Write("policy.yaml", Policy("gone-soon", "auto"));
        var source = ActionPolicySource.FromFile(path);

        File.Delete(path);
        Assert.True(source.Refresh());
        Assert.Same(ActionPolicy.Default, source.Current);
        Assert.False(source.Refresh());

        File.WriteAllText(path, Policy("back", "auto"));
        Assert.True(source.Refresh());
        Assert.Equal("back", source.Current.Name);
    }

    [Fact]
    public void Refresh_ConfigMapVolumeAtomicSwap_NewContentSeen()
    {
        // How kubelet updates a ConfigMap volume: the key is a symlink to ..data/<key>, and ..data is a symlink to a
        // timestamped directory that is replaced by renaming a new symlink over it.
        var root = _directory.FullName;
        Directory.CreateDirectory(Path.Combine(root, "..2026_11_28_01"));
        File.WriteAllText(Path.Combine(root, "..2026_11_28_01", "prod.yaml"), Policy("before", "approval"));
        File.CreateSymbolicLink(Path.Combine(root, "..data"), "..2026_11_28_01");
        File.CreateSymbolicLink(Path.Combine(root, "prod.yaml"), Path.Combine("..data", "prod.yaml"));
        var source = ActionPolicySource.FromFile(Path.Combine(root, "prod.yaml"));
        Assert.Equal("before", source.Current.Name);

        Directory.CreateDirectory(Path.Combine(root, "..2026_11_28_02"));
        File.WriteAllText(Path.Combine(root, "..2026_11_28_02", "prod.yaml"), Policy("after", "auto"));
        File.CreateSymbolicLink(Path.Combine(root, "..data_tmp"), "..2026_11_28_02");
        // rename(2) of the link itself, as kubelet does (File.Move follows a link to a directory).
        using (var mv = System.Diagnostics.Process.Start("mv", ["-T", Path.Combine(root, "..data_tmp"), Path.Combine(root, "..data")]))
        {
            mv.WaitForExit();
            Assert.Equal(0, mv.ExitCode);
        }

        Directory.Delete(Path.Combine(root, "..2026_11_28_01"), recursive: true);

        Assert.True(source.Refresh());
        Assert.Equal("after", source.Current.Name);
    }

    [Fact]
    public void FixedPolicy_RefreshNeverChangesIt()
    {
        var source = new ActionPolicySource(Policies.ShopRestartsAuto);

        Assert.False(source.Refresh());
        Assert.Same(Policies.ShopRestartsAuto, source.Current);
        Assert.Null(source.File);
    }

    [Fact]
    public async Task Host_PolicyReloadInterval_FileRewritten_PolicyInForceFollows()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = Write("policy.yaml", Policy("v1", "approval"));
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([
            new($"{ExecutorOptions.SectionName}:PolicyFile", path),
            new($"{ExecutorOptions.SectionName}:PolicyReloadInterval", "00:00:00.050"),
        ]);
        builder.Services.AddActionPolicy().BindConfiguration(ExecutorOptions.SectionName);
        using var host = builder.Build();
        await host.StartAsync(ct);
        var source = host.Services.GetRequiredService<ActionPolicySource>();
        Assert.Equal("v1", source.Current.Name);

        File.WriteAllText(path, Policy("v2", "auto"));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (source.Current.Name != "v2" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, ct);
        }

        await host.StopAsync(ct);
        Assert.Equal("v2", source.Current.Name);
    }
}
