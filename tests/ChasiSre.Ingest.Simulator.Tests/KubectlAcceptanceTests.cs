using System.Text;

namespace ChasiSre.Ingest.Simulator.Tests;

/// <summary>
/// The official kubectl v1.33 binary against the simulator (install it with
/// eng/fetch-kubectl.sh): what an SRE would type, and the output they would see.
/// </summary>
public sealed class KubectlAcceptanceTests
{
    private static async Task<ApiServerSimulator> StartShopAsync()
    {
        var simulator = await ApiServerSimulator.StartAsync(new ApiServerSimulatorOptions { ClusterName = "kubectl-test" }, TestContext.Current.CancellationToken);
        ShopScenario.Load(simulator, DateTimeOffset.UtcNow);
        return simulator;
    }

    [Fact]
    public async Task GetPods_CrashLoopingPod_ShowsCrashLoopBackOffAndRestarts()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await StartShopAsync();
        using var kubectl = new Kubectl(simulator);

        var result = await kubectl.RunAsync(ct, "get", "pods", "-n", ShopScenario.Namespace);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "READY", "STATUS", "RESTARTS", "AGE"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var row = lines.Single(l => l.StartsWith(ShopScenario.Pod, StringComparison.Ordinal));
        Assert.Matches($@"^{ShopScenario.Pod}\s+0/1\s+CrashLoopBackOff\s+{ShopScenario.Restarts} \(2m\d*s? ago\)\s+12m", row);
    }

    [Fact]
    public async Task GetPodsWatch_PodChangesAfterStart_PrintsNewRow()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await StartShopAsync();
        using var kubectl = new Kubectl(simulator);
        using var process = kubectl.Start("get", "pods", "-n", ShopScenario.Namespace, "-w");
        var output = new StringBuilder();
        var firstRow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var changedRow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data.Contains("CrashLoopBackOff", StringComparison.Ordinal))
            {
                firstRow.TrySetResult();
            }

            if (e.Data.Contains("ImagePullBackOff", StringComparison.Ordinal) && e.Data.Contains($" {ShopScenario.Restarts + 1} (", StringComparison.Ordinal))
            {
                changedRow.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await firstRow.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
            simulator.Apply(ShopScenario.PodObject(DateTimeOffset.UtcNow, ShopScenario.Restarts + 1, "ImagePullBackOff"));
            await changedRow.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(ct);
            Assert.Fail($"kubectl get -w did not print the expected rows.\n--- stdout\n{output}\n--- stderr\n{await stderr}");
        }

        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(ct);
        Assert.Equal(1, simulator.Requests.Count(SimulatorVerb.Watch, "pods"));
    }

    [Fact]
    public async Task DescribePod_WarningEventAboutPod_ShowsBackOffInEvents()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await StartShopAsync();
        using var kubectl = new Kubectl(simulator);

        var result = await kubectl.RunAsync(ct, "describe", "pod", ShopScenario.Pod, "-n", ShopScenario.Namespace);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"(?m)^Status:\s+Running$", result.Stdout);
        Assert.Matches(@"(?m)^\s+State:\s+Waiting$", result.Stdout);
        Assert.Matches(@"(?m)^\s+Reason:\s+CrashLoopBackOff$", result.Stdout);
        Assert.Matches(@"(?m)^\s+Exit Code:\s+1$", result.Stdout);
        Assert.Matches($@"(?m)^\s+Restart Count:\s+{ShopScenario.Restarts}$", result.Stdout);
        Assert.Matches($@"(?m)^Controlled By:\s+ReplicaSet/{ShopScenario.ReplicaSet}$", result.Stdout);
        var events = result.Stdout[result.Stdout.IndexOf("Events:", StringComparison.Ordinal)..];
        Assert.Matches(@"Warning\s+BackOff\s+\S+ \(x23 over \S+\)\s+kubelet\s+Back-off restarting failed container checkout", events);
    }

    [Fact]
    public async Task LogsPrevious_CrashedContainer_PrintsItsLines()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await StartShopAsync();
        using var kubectl = new Kubectl(simulator);

        var result = await kubectl.RunAsync(ct, "logs", "--previous", ShopScenario.Pod, "-n", ShopScenario.Namespace);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(ShopScenario.PreviousLog, result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task LogsPrevious_NoPreviousInstance_FailsWithApiServerMessage()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await StartShopAsync();
        simulator.Apply(TestObjects.Pod(ShopScenario.Namespace, "fresh"));
        using var kubectl = new Kubectl(simulator);

        var result = await kubectl.RunAsync(ct, "logs", "--previous", "fresh", "-n", ShopScenario.Namespace);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("previous terminated container \"app\" in pod \"fresh\" not found", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiResources_BuiltInAndCustomResources_AreListed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await StartShopAsync();
        simulator.Resources.RegisterCustomResource("core.k8sgpt.ai", "v1alpha1", "Result", "results");
        using var kubectl = new Kubectl(simulator);

        var result = await kubectl.RunAsync(ct, "api-resources");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"(?m)^pods\s+po\s+v1\s+true\s+Pod\s*$", result.Stdout);
        Assert.Matches(@"(?m)^deployments\s+deploy\s+apps/v1\s+true\s+Deployment\s*$", result.Stdout);
        Assert.Matches(@"(?m)^nodes\s+no\s+v1\s+false\s+Node\s*$", result.Stdout);
        Assert.Matches(@"(?m)^horizontalpodautoscalers\s+hpa\s+autoscaling/v2\s+true\s+HorizontalPodAutoscaler\s*$", result.Stdout);
        Assert.Matches(@"(?m)^results\s+core\.k8sgpt\.ai/v1alpha1\s+true\s+Result\s*$", result.Stdout);
        // kubectl took the aggregated discovery documents (/api and /apis), not one request per group version.
        Assert.Equal(2, simulator.Requests.Count(SimulatorVerb.Discovery));
    }

    [Fact]
    public async Task GetEventsAndDeployments_ShopNamespace_PrintServerSideColumns()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await StartShopAsync();
        using var kubectl = new Kubectl(simulator);

        var deployments = await kubectl.RunAsync(ct, "get", "deploy", "-n", ShopScenario.Namespace, "-o", "wide");
        var events = await kubectl.RunAsync(ct, "get", "events", "-n", ShopScenario.Namespace, "--field-selector", "type=Warning");
        var pod = await kubectl.RunAsync(ct, "get", "pod", ShopScenario.Pod, "-n", ShopScenario.Namespace, "-o", "jsonpath={.status.containerStatuses[0].lastState.terminated.exitCode}");

        Assert.True(deployments.ExitCode == 0, deployments.ToString());
        Assert.Matches(@"(?m)^checkout\s+0/1\s+1\s+0\s+120m\s+checkout\s+registry\.local/shop/checkout:2\.4\.1\s+app=checkout$", deployments.Stdout);
        Assert.True(events.ExitCode == 0, events.ToString());
        Assert.Matches($@"(?m)^\S+ \(x23 over \S+\)\s+Warning\s+BackOff\s+pod/{ShopScenario.Pod}\s+Back-off restarting", events.Stdout);
        Assert.True(pod.ExitCode == 0, pod.ToString());
        Assert.Equal("1", pod.Stdout);
    }

    [Fact]
    public async Task GetPod_UnknownName_FailsWithNotFound()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var simulator = await StartShopAsync();
        using var kubectl = new Kubectl(simulator);

        var result = await kubectl.RunAsync(ct, "get", "pod", "nope", "-n", ShopScenario.Namespace);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Error from server (NotFound): pods \"nope\" not found", result.Stderr, StringComparison.Ordinal);
    }
}
