using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ChasiSre.Sdk.Samples.Orders;

namespace ChasiSre.Sdk.Tests;

/// <summary>
/// The .proto works outside C#: a Node.js client built with @grpc/grpc-js from schemas/proto alone
/// calls the orders sample served in-process. Node and npm are part of the toolchain (README).
/// </summary>
public sealed class NodeClientTests
{
    [Fact]
    public async Task NodeClient_DegradedSample_ReadsStatusRunbooksLogsAndEvents()
    {
        var ct = TestContext.Current.CancellationToken;
        var repository = Repository();
        var nodeModules = await RunAsync("bash", [Path.Combine(repository, "eng", "fetch-node-grpc.sh")], null, ct);
        await using var sample = OrdersSampleHost.Create(new OrdersSampleOptions { Token = "node-token", Degraded = true });
        await sample.StartAsync(ct);

        var output = await RunAsync(
            "node",
            [Path.Combine(repository, "sdk", "samples", "node-client", "client.js"), sample.GrpcAddress.Authority, "node-token"],
            nodeModules.Trim(),
            ct);

        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("orders", root.GetProperty("adapter").GetString());
        Assert.False(root.GetProperty("healthy").GetBoolean());
        Assert.Equal(0.18, root.GetProperty("metrics").GetProperty("payment_error_ratio").GetDouble());
        Assert.Equal(["payment-timeouts", "fulfilment-backlog", "restart-payment-worker"], root.GetProperty("runbooks").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(5, root.GetProperty("logs").GetArrayLength());
        Assert.All(root.GetProperty("events").EnumerateArray(), e => Assert.True(e.GetProperty("type").GetString() is "Warning" or "Error"));
        Assert.Equal("UNAUTHENTICATED", root.GetProperty("wrong_token").GetString());
    }

    private static async Task<string> RunAsync(string file, string[] args, string? nodePath, CancellationToken ct)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (nodePath is not null)
        {
            start.Environment["NODE_PATH"] = nodePath;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    private static string Repository([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", ".."));
}
