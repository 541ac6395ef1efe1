using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using ChasiSre.Sdk.Samples.Orders;
using ChasiSre.Sdk.Testing;

namespace ChasiSre.Cli.Commands;

/// <summary><c>chasi adapter check</c> (conformance kit) and <c>chasi adapter sample</c> (the orders sample adapter).</summary>
internal static class AdapterCommand
{
    public static Command Create() => new("adapter", "Business adapters: check one for conformance, or run the sample.")
    {
        Check(),
        Sample(),
    };

    private static Command Check()
    {
        var url = new Argument<string>("url") { Description = "Base address of the adapter, e.g. http://orders.shop:8080." };
        var token = new Option<string?>("--token") { Description = "Bearer token the adapter accepts." };
        var transport = new Option<AdapterTransport>("--transport")
        {
            Description = "http (POST /chasi/v1/{operation}, protobuf JSON) or grpc (chasi.v1.BusinessAdapter).",
            DefaultValueFactory = _ => AdapterTransport.Http,
        };
        var timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "Time each operation may take, e.g. 00:00:05.",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(5),
        };
        var format = OutputFormatOption.Create();
        var command = new Command("check", "Call every operation of an adapter (any language) and report pass/fail per check: auth, schema, limits, error codes, timeouts. Exit 1 when a check fails.")
        {
            url, token, transport, timeout, format,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!Uri.TryCreate(result.GetValue(url), UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https"))
            {
                await Console.Error.WriteLineAsync($"chasi adapter check: '{result.GetValue(url)}' is not an http:// or https:// address");
                return 2;
            }

            var report = await AdapterConformance.RunAsync(
                new ConformanceOptions
                {
                    Url = target,
                    Token = result.GetValue(token),
                    Transport = result.GetValue(transport),
                    CallTimeout = result.GetValue(timeout),
                },
                cancellationToken);
            if (result.GetValue(format) == OutputFormat.Json)
            {
                await Console.Out.WriteLineAsync(report.ToJson());
            }
            else
            {
                foreach (var check in report.Checks)
                {
                    var mark = check.Status switch { CheckStatus.Pass => "ok  ", CheckStatus.Fail => "FAIL", _ => "skip" };
                    await Console.Out.WriteLineAsync($"{mark}  {check.Id,-26} {check.Detail}");
                }

                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{(report.Passed ? "conformant" : "NOT conformant")}: {report.Checks.Count(c => c.Status == CheckStatus.Pass)} passed, {report.Failed} failed, {report.Checks.Count(c => c.Status == CheckStatus.Skip)} skipped ({report.Transport} {report.Target})"));
            }

            return report.Passed ? 0 : 1;
        });
        return command;
    }

    private static Command Sample()
    {
        var port = new Option<int>("--port") { Description = "Port of the HTTP/JSON endpoint (0 picks a free one).", DefaultValueFactory = _ => 8080 };
        var grpcPort = new Option<int?>("--grpc-port") { Description = "Port of the gRPC endpoint (cleartext HTTP/2); --port + 1 by default (free one when --port is 0)." };
        var listen = new Option<string>("--listen") { Description = "Address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
        var degraded = new Option<bool>("--degraded") { Description = "Start with payment gateway timeouts (unhealthy status, error logs, warning events)." };
        var token = new Option<string?>("--token") { Description = "Bearer token callers must present; a random one is generated and printed when omitted." };
        var command = new Command("sample", "Run the orders sample adapter (HTTP/JSON and gRPC) until Ctrl+C.")
        {
            port, grpcPort, listen, degraded, token,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!IPAddress.TryParse(result.GetValue(listen), out var address))
            {
                await Console.Error.WriteLineAsync($"chasi adapter sample: '{result.GetValue(listen)}' is not an IP address");
                return 2;
            }

            var secret = result.GetValue(token) is { Length: > 0 } given ? given : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            await using var host = OrdersSampleHost.Create(new OrdersSampleOptions
            {
                Port = result.GetValue(port),
                GrpcPort = result.GetValue(grpcPort) ?? (result.GetValue(port) == 0 ? 0 : result.GetValue(port) + 1),
                Address = address,
                Degraded = result.GetValue(degraded),
                Token = secret,
            });
            await host.StartAsync(cancellationToken);
            await Console.Out.WriteLineAsync($"orders adapter ({(host.Adapter.Degraded ? "degraded" : "healthy")}): http {host.Address} grpc {host.GrpcAddress} token {secret}");
            await Console.Out.FlushAsync(cancellationToken);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C: stop gracefully below.
            }

            await host.StopAsync(CancellationToken.None);
            return 0;
        });
        return command;
    }
}
