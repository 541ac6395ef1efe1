using System.Text.Json.Nodes;

namespace ChasiSre.Executor.Tests;

public sealed class ObjectDiffTests
{
    [Fact]
    public void Unified_ChangedValue_OneHunkWithContextAndNoManagedFieldsOrSecrets()
    {
        var before = Objects.ConfigMap("web-config");
        before["metadata"]!["managedFields"] = JsonNode.Parse("""[{"manager":"kubectl","operation":"Update"}]""");
        var after = before.DeepClone().AsObject();
        after["data"]!["LOG_LEVEL"] = "debug";
        after["data"]!["api_token"] = "rotated-secret";

        var diff = ObjectDiff.Unified("ConfigMap web/web-config", before, after);

        Assert.StartsWith("--- ConfigMap web/web-config (current)\n+++ ConfigMap web/web-config (dry run)\n@@ ", diff, StringComparison.Ordinal);
        Assert.Contains("\n-  LOG_LEVEL: info\n+  LOG_LEVEL: debug\n", diff, StringComparison.Ordinal);
        Assert.Contains("   api_token: [redacted]", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("managedFields", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("rotated", diff, StringComparison.Ordinal);
    }

    [Fact]
    public void Unified_SecretObjectAndEnvPasswords_ValuesNeverShown()
    {
        var secret = JsonNode.Parse("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"db","namespace":"web"},"data":{"url":"cG9zdGdyZXM6Ly8=","user":"YWRtaW4="}}""")!.AsObject();
        var pod = Objects.Pod("web-1");

        var deleted = ObjectDiff.Unified("Secret web/db", secret, null);
        var podLines = ObjectDiff.Render(pod);

        Assert.Contains("+++ Secret web/db (deleted)", deleted, StringComparison.Ordinal);
        Assert.Contains("-  url: [redacted]", deleted, StringComparison.Ordinal);
        Assert.DoesNotContain("cG9zdGdyZXM6Ly8=", deleted, StringComparison.Ordinal);
        Assert.Contains("    - name: DB_PASSWORD", podLines);
        Assert.Contains("      value: [redacted]", podLines);
        Assert.Contains("      value: live", podLines);
        Assert.DoesNotContain(podLines, l => l.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public void Unified_SameObject_Empty()
    {
        var deployment = Objects.Deployment("web");

        Assert.Equal("", ObjectDiff.Unified("Deployment web/web", deployment, deployment.DeepClone().AsObject()));
    }

    [Fact]
    public void Unified_FarApartChanges_TwoHunks()
    {
        var before = new JsonObject();
        for (var i = 0; i < 20; i++)
        {
            before[$"k{i:D2}"] = i;
        }

        var after = before.DeepClone().AsObject();
        after["k01"] = 100;
        after["k18"] = 118;

        var diff = ObjectDiff.Unified("x", before, after);

        Assert.Equal(2, diff.Split('\n').Count(l => l.StartsWith("@@", StringComparison.Ordinal)));
        Assert.Contains("@@ -1,5 +1,5 @@\n k00: 0\n-k01: 1\n+k01: 100\n k02: 2\n", diff, StringComparison.Ordinal);
    }
}
