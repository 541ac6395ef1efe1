using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace ChasiSre.Cli.Commands;

/// <summary><c>chasi version</c>.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var format = OutputFormatOption.Create();
        var command = new Command("version", "Print the version of chasi and of its contracts.") { format };
        command.SetAction(result =>
        {
            var info = Current();
            Console.Out.WriteLine(result.GetValue(format) == OutputFormat.Json
                ? JsonSerializer.Serialize(info, CliJsonContext.Default.VersionInfo)
                : $"chasi {info.Version} (commit {info.Commit}, contracts v{info.SchemaVersion}, {info.Runtime}, {info.Os})");
            return 0;
        });
        return command;
    }

    public static VersionInfo Current()
    {
        var informational = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        var version = plus < 0 ? informational : informational[..plus];
        var commit = plus < 0 ? "unknown" : informational[(plus + 1)..];
        return new VersionInfo(version, commit, RuntimeInformation.FrameworkDescription, RuntimeInformation.RuntimeIdentifier, Schemas.SchemaVersion.Current);
    }
}
