using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using ClickHouse.Driver.Compression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Platform.ClickHouse.Tests;

/// <summary>
/// A ClickHouse server for tests: Kestrel on 127.0.0.1:0 speaking ClickHouse's HTTP interface (query in the
/// URL or the body, settings as URL parameters, gzip bodies, errors as 500 with X-ClickHouse-Exception-Code)
/// and executing every statement in the shared chDB engine; insert data (RowBinary from the driver) is
/// spooled to a file and inserted with FROM INFILE.
/// </summary>
internal sealed partial class FakeClickHouseHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ChDbEngine _engine;

    private FakeClickHouseHttpServer(WebApplication app, ChDbEngine engine)
    {
        _app = app;
        _engine = engine;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public string ConnectionString => $"Host={BaseAddress.Host};Port={BaseAddress.Port};Protocol=http;Username=default;Password=";

    public List<string> Queries { get; } = [];

    public static async Task<FakeClickHouseHttpServer> StartAsync(string chdbDataPath, CancellationToken cancellationToken)
    {
        var engine = ChDbEngine.OpenShared(chdbDataPath, out _);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeClickHouseHttpServer(app, engine);
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var cancellationToken = context.RequestAborted;
        byte[] body;
        using (var buffer = new MemoryStream())
        {
            await using var stream = request.Headers.ContentEncoding.ToString() switch
            {
                "gzip" => new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true),
                "deflate" => new DeflateStream(request.Body, CompressionMode.Decompress, leaveOpen: true),
                "br" => new BrotliStream(request.Body, CompressionMode.Decompress, leaveOpen: true),
                "zstd" => new ZstdCompressor(1, 1 << 17).Decompress(request.Body, true),
                "" => request.Body,
                var other => throw new NotSupportedException($"Content-Encoding {other}"),
            };
            await stream.CopyToAsync(buffer, cancellationToken);
            body = buffer.ToArray();
        }

        // ClickHouse's HTTP interface: the statement is the `query` parameter followed by the body, or the body
        // alone; data for an INSERT ... FORMAT follows the statement.
        var queryInUrl = request.Query["query"].ToString();
        var statement = queryInUrl.Length > 0 ? [.. Encoding.UTF8.GetBytes(queryInUrl + "\n"), .. body] : body;
        var text = Encoding.UTF8.GetString(statement, 0, Math.Min(statement.Length, 300));
        lock (Queries)
        {
            Queries.Add(text);
        }

        // Inline RowBinary after the statement lost rows in chDB 26.5 (a batch was cut short without an error),
        // so insert data goes through a file, as in ChDbStore.
        string? spoolFile = null;
        var insert = InsertWithData().Match(Encoding.Latin1.GetString(statement, 0, Math.Min(statement.Length, 1 << 20)));
        if (insert.Success && insert.Length < statement.Length)
        {
            spoolFile = Path.Combine(_engine.DataPath, "fake-http-" + Guid.NewGuid().ToString("N") + ".bin");
            await File.WriteAllBytesAsync(spoolFile, statement.AsMemory(insert.Length), cancellationToken);
            statement = Encoding.UTF8.GetBytes($"{Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(insert.Groups["head"].Value))} FROM INFILE '{spoolFile}' FORMAT {insert.Groups["format"].Value}");
        }

        if (request.Path == "/ping" || statement.Length == 0)
        {
            await context.Response.WriteAsync("Ok.\n", cancellationToken);
            return;
        }

        // The driver sends its own default_format with every request (and QueryOptions may override it).
        var formats = request.Query["default_format"];
        var format = formats.Count > 0 ? formats[^1]! : "TabSeparated";
        try
        {
            var output = await _engine.QueryAsync(statement, format, static span => span.ToArray(), cancellationToken);
            context.Response.Headers["X-ClickHouse-Format"] = format;
            context.Response.Headers["X-ClickHouse-Timezone"] = "UTC";
            await context.Response.Body.WriteAsync(output, cancellationToken);
        }
        catch (ClickHouseStoreException exception)
        {
            context.Response.StatusCode = 500;
            context.Response.Headers["X-ClickHouse-Exception-Code"] = (exception.ErrorCode ?? 1000).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await context.Response.WriteAsync(exception.Message + "\n", cancellationToken);
        }
        finally
        {
            if (spoolFile is not null)
            {
                File.Delete(spoolFile);
            }
        }
    }

    [GeneratedRegex(@"^\s*(?<head>INSERT\s.*?)\s+FORMAT\s+(?<format>\w+)[ \t]*\r?\n?", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex InsertWithData();
}
