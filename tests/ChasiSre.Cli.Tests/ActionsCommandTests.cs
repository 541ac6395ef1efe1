using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace ChasiSre.Cli.Tests;

public sealed class ActionsCommandTests(ActionsApiFixture fixture) : IClassFixture<ActionsApiFixture>
{
    private Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(string? token, params string[] args)
    {
        var environment = new Dictionary<string, string> { ["CHASI_TOKEN"] = token ?? "" };
        return ChasiProcess.RunAsync(environment, TestContext.Current.CancellationToken, ["actions", .. args, "--server", fixture.Address.ToString()]);
    }

    [Fact]
    public async Task List_Table_ShowsEachActionAtItsLatestPhase()
    {
        var (exit, stdout, stderr) = await RunAsync(ActionsApiFixture.ViewerToken, "list");

        Assert.True(exit == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ID", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith(ActionsApiFixture.Verified, StringComparison.Ordinal) && l.Contains(" verified ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith(ActionsApiFixture.Pending, StringComparison.Ordinal) && l.Contains(" pending_approval ", StringComparison.Ordinal));
        Assert.Equal("3 action(s)", lines[^1].Trim());
    }

    [Fact]
    public async Task List_JsonWithPhase_PrintsTheApiPage()
    {
        var (exit, stdout, stderr) = await RunAsync(ActionsApiFixture.ViewerToken, "list", "--phase", "verified", "--format", "json");

        Assert.True(exit == 0, stderr);
        using var page = JsonDocument.Parse(stdout);
        var item = Assert.Single(page.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal((ActionsApiFixture.Verified, "verified", 6), (item.GetProperty("id").GetString(), item.GetProperty("phase").GetString(), item.GetProperty("steps").GetInt32()));
    }

    [Fact]
    public async Task Show_Action_PrintsEveryStepAndTheAnsweredRequest()
    {
        var (exit, stdout, stderr) = await RunAsync(ActionsApiFixture.ViewerToken, "show", ActionsApiFixture.Verified);

        Assert.True(exit == 0, stderr);
        Assert.StartsWith($"{ActionsApiFixture.Verified}: rollout-restart vc-a/Deployment/shop/web is verified", stdout, StringComparison.Ordinal);
        var trail = stdout.Split('\n').Where(l => l.StartsWith("    ", StringComparison.Ordinal) && l.Trim().Length > 0 && (char.IsDigit(l.Trim()[0]) || l.Trim().StartsWith("req ", StringComparison.Ordinal)))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(w => $"{w[0]} {w[2]} {w[3]}").ToList();
        Assert.Equal(
            ["1 proposed executor", "2 pending_approval policy:restarts-need-approval", "req approved requested", "3 approved user:alice", "4 executing executor", "5 succeeded executor", "6 verified executor"],
            trail);
        Assert.Contains("approved           requested by user:alice: diff checked (answered)", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("  request    ", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_ApproverTokenFromFile_Exits0AndARepeatPrintsTheSameRequest()
    {
        var tokenFile = Path.Combine(Directory.CreateTempSubdirectory("chasi-token-").FullName, "token");
        await File.WriteAllTextAsync(tokenFile, ActionsApiFixture.ApproverToken + "\n", TestContext.Current.CancellationToken);

        var first = await RunAsync(null, "approve", ActionsApiFixture.PendingTwice, "--reason", "looks right", "--token-file", tokenFile);
        var second = await RunAsync(null, "approve", ActionsApiFixture.PendingTwice, "--token-file", tokenFile, "--format", "json");
        var shown = await RunAsync(ActionsApiFixture.ViewerToken, "show", ActionsApiFixture.PendingTwice);

        Assert.True(first.ExitCode == 0, first.StdErr);
        Assert.Equal(
            $"{ActionsApiFixture.PendingTwice}: approve requested by user:ops on chasi.actions.v1; the executor answers it in the trail (chasi actions show {ActionsApiFixture.PendingTwice})",
            first.StdOut.Trim());
        Assert.True(second.ExitCode == 0, second.StdErr);
        using var repeated = JsonDocument.Parse(second.StdOut);
        Assert.Equal(("approve", "approved", "looks right"), (
            repeated.RootElement.GetProperty("decision").GetString(), repeated.RootElement.GetProperty("phase").GetString(), repeated.RootElement.GetProperty("reason").GetString()));

        // No executor runs here: the action stays pending_approval and shows the request waiting for it.
        Assert.True(shown.ExitCode == 0, shown.StdErr);
        Assert.Contains($"{ActionsApiFixture.PendingTwice}: rollout-restart vc-a/Deployment/shop/web is pending_approval", shown.StdOut, StringComparison.Ordinal);
        Assert.Contains("  request    approve requested by user:ops at ", shown.StdOut, StringComparison.Ordinal);
        Assert.Contains("requested by user:ops: looks right (waiting for the executor)", shown.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("viewer", "approve", ActionsApiFixture.Pending, "403")]
    [InlineData("approver", "approve", ActionsApiFixture.Verified, "409")]
    [InlineData("approver", "rollback", ActionsApiFixture.Pending, "409")]
    [InlineData("approver", "show", "act-cli-missing", "404")]
    public async Task Command_RefusedByTheApi_Exits1WithTheStatus(string who, string verb, string id, string status)
    {
        var (exit, _, stderr) = await RunAsync(who == "viewer" ? ActionsApiFixture.ViewerToken : ActionsApiFixture.ApproverToken, verb, id);

        Assert.Equal(1, exit);
        Assert.Contains($"chasi actions {verb}: {status}", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_NoToken_Exits2NamingTheWaysToGiveOne()
    {
        var (exit, _, stderr) = await RunAsync(null, "list");

        Assert.Equal(2, exit);
        Assert.Contains("--token-file", stderr, StringComparison.Ordinal);
        Assert.Contains("CHASI_TOKEN", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_UnknownToken_Exits2()
    {
        var (exit, _, stderr) = await RunAsync("chasi_not-a-token", "list");

        Assert.Equal(2, exit);
        Assert.Contains("401", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_NothingListening_Exits2()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (exit, _, stderr) = await ChasiProcess.RunAsync(
            new Dictionary<string, string> { ["CHASI_TOKEN"] = ActionsApiFixture.ViewerToken }, TestContext.Current.CancellationToken,
            "actions", "list", "--server", $"http://127.0.0.1:{port}");

        Assert.Equal(2, exit);
        Assert.Contains("cannot reach", stderr, StringComparison.Ordinal);
    }
}
