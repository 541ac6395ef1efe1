using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ChasiSre.Api;

/// <summary>
/// The web view: static files embedded in this assembly (<c>ui/</c>: vanilla HTML, CSS and JavaScript, no build step, no
/// CDN), served anonymously under <c>/ui/</c>. The page holds the user's token in <c>sessionStorage</c> and reads and
/// decides through <c>/api/v1</c> like any client. Every response carries a strict Content-Security-Policy (scripts,
/// styles and connections from this origin only; no inline script or style, no frames, no plugins), <c>X-Frame-Options:
/// DENY</c>, <c>nosniff</c> and <c>no-referrer</c>; the script inserts every datum as text, never as HTML.
/// </summary>
internal static class UiEndpoints
{
    /// <summary>The Content-Security-Policy of every <c>/ui/</c> response.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private const string ResourcePrefix = "ui/";

    private static readonly FrozenDictionary<string, UiFile> Files = Load();

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/ui/{file?}", Serve).ExcludeFromDescription();
    }

    private static IResult Serve(HttpContext context, string? file)
    {
        Secure(context.Response);
        if (file is null && !context.Request.Path.Value!.EndsWith('/'))
        {
            return TypedResults.Redirect("/ui/"); // relative links of the page resolve under /ui/
        }

        if (!Files.TryGetValue(file ?? "index.html", out var ui))
        {
            return TypedResults.NotFound();
        }

        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.ETag = ui.ETag;
        if (context.Request.Headers.IfNoneMatch.Contains(ui.ETag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Bytes(ui.Content, ui.ContentType);
    }

    private static void Secure(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XFrameOptions = "DENY";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers["Cross-Origin-Opener-Policy"] = "same-origin";
    }

    private static FrozenDictionary<string, UiFile> Load()
    {
        var assembly = typeof(UiEndpoints).Assembly;
        var files = new Dictionary<string, UiFile>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var type = Path.GetExtension(name) switch
            {
                ".html" => "text/html; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            };
            files[name[ResourcePrefix.Length..]] = new UiFile(content, type, $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"");
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private sealed record UiFile(byte[] Content, string ContentType, string ETag);
}
