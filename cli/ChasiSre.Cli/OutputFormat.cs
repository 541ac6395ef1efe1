using System.CommandLine;

namespace ChasiSre.Cli;

/// <summary>How a command prints its result on stdout.</summary>
internal enum OutputFormat
{
    Table,
    Json,
}

/// <summary>The shared <c>--format</c> option.</summary>
internal static class OutputFormatOption
{
    public static Option<OutputFormat> Create() => new("--format", "-o")
    {
        Description = "Output format: table (for people) or json (for tools; stdout carries only the JSON).",
        DefaultValueFactory = _ => OutputFormat.Table,
    };
}
