using System.CommandLine;
using ChasiSre.Api;

namespace ChasiSre.Cli.Commands;

/// <summary><c>chasi token new|hash</c>: API bearer tokens and the SHA-256 the <c>Api:Tokens</c> configuration stores.</summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var command = new Command("token", "API bearer tokens: the configuration (Api:Tokens:N:Sha256) holds their SHA-256, never the token.");
        var fresh = new Command("new", "Prints a new random token on the first line and its SHA-256 on the second.");
        fresh.SetAction(async (_, _) =>
        {
            var token = ApiTokenHasher.NewToken();
            await Console.Out.WriteLineAsync(token);
            await Console.Out.WriteLineAsync(ApiTokenHasher.Hash(token));
            return 0;
        });
        var hash = new Command("hash", "Reads a token from stdin (one line) and prints its SHA-256. Exit 2 when stdin is empty.");
        hash.SetAction(async (_, cancellationToken) =>
        {
            var token = (await Console.In.ReadLineAsync(cancellationToken))?.Trim();
            if (string.IsNullOrEmpty(token))
            {
                await Console.Error.WriteLineAsync("no token on stdin");
                return 2;
            }

            await Console.Out.WriteLineAsync(ApiTokenHasher.Hash(token));
            return 0;
        });
        command.Subcommands.Add(fresh);
        command.Subcommands.Add(hash);
        return command;
    }
}
