using System.Net.Http.Headers;

namespace ChasiSre.Cli.Actions;

/// <summary>
/// Where the API is and the token to call it with: <c>--server</c> (default <see cref="DefaultServer"/>) and the token
/// from <c>--token-file</c> or the environment variable <see cref="TokenVariable"/>; never from an argument, which would
/// land in the shell's history and in <c>ps</c>.
/// </summary>
internal sealed record ApiConnection(Uri Server, string Token)
{
    public const string DefaultServer = "http://127.0.0.1:8080";

    public const string TokenVariable = "CHASI_TOKEN";

    /// <summary>The connection, or null with the reason.</summary>
    public static ApiConnection? Resolve(string? server, string? tokenFile, out string? error)
    {
        error = null;
        if (!Uri.TryCreate(server ?? DefaultServer, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            error = $"--server '{server}' is not an http(s) URL";
            return null;
        }

        string? token;
        if (tokenFile is not null)
        {
            if (!File.Exists(tokenFile))
            {
                error = $"--token-file '{tokenFile}' does not exist";
                return null;
            }

            token = File.ReadAllText(tokenFile).Trim();
        }
        else
        {
            token = Environment.GetEnvironmentVariable(TokenVariable)?.Trim();
        }

        if (string.IsNullOrEmpty(token))
        {
            error = $"no token: pass --token-file FILE or set {TokenVariable} (chasi token new makes one)";
            return null;
        }

        return new ApiConnection(uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/"), token);
    }

    public HttpClient CreateClient()
    {
        var client = new HttpClient { BaseAddress = Server, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }
}
