using System.Net;
using System.Text.RegularExpressions;

namespace ChasiSre.Api.Tests;

public sealed partial class UiEndpointTests(ApiFixture fixture)
{
    [Theory]
    [InlineData("ui/", "text/html")]
    [InlineData("ui/index.html", "text/html")]
    [InlineData("ui/app.js", "text/javascript")]
    [InlineData("ui/app.css", "text/css")]
    public async Task Get_UiFile_ServedAnonymouslyWithStrictSecurityHeaders(string path, string mediaType)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(null);

        using var response = await client.GetAsync(path, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task Get_UiWithoutSlash_RedirectsToUiSlash()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.Address };

        using var response = await client.GetAsync("ui", ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/ui/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Get_UiWithETag_Returns304()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(null);
        using var first = await client.GetAsync("ui/app.js", ct);

        using var request = new HttpRequestMessage(HttpMethod.Get, "ui/app.js");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await client.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Theory]
    [InlineData("ui/secrets.json")]
    [InlineData("ui/..%2Fappsettings.json")]
    public async Task Get_UnknownUiFile_Returns404(string path)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(null);

        using var response = await client.GetAsync(path, ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Get_UiWithWebViewOff_Returns404()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct, new Dictionary<string, string?> { ["Api:WebView"] = "false" });
        using var client = host.Client(null);

        using var response = await client.GetAsync("ui/", ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>The markup has no inline script or style (the CSP would block them), and the script never writes HTML.</summary>
    [Fact]
    public async Task UiSources_NoInlineCodeAndNoHtmlSinks()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(null);

        var html = await client.GetStringAsync("ui/index.html", ct);
        var script = await client.GetStringAsync("ui/app.js", ct);

        Assert.Empty(InlineCode().Matches(html).Select(m => m.Value));
        Assert.Empty(HtmlSinks().Matches(script).Select(m => m.Value));
        Assert.Single(HtmlSinks().Matches("node.innerHTML = text; document.write(x)").Take(1)); // the pattern finds what it must
    }

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\(|createContextualFragment", RegexOptions.None)]
    private static partial Regex HtmlSinks();
}
