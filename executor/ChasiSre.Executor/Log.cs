using Microsoft.Extensions.Logging;

namespace ChasiSre.Executor;

/// <summary>Source-generated log methods of the executor (event ids 7950-7999).</summary>
internal static partial class Log
{
    [LoggerMessage(7950, LogLevel.Information, "Action policy '{Name}' loaded from {File}: {Rules} rules, {Windows} freeze windows")]
    public static partial void PolicyLoaded(this ILogger logger, string name, string file, int rules, int windows);

    [LoggerMessage(7951, LogLevel.Warning, "No action policy file configured ({Section}:PolicyFile): every tenant action needs approval and every host action is denied")]
    public static partial void DefaultPolicy(this ILogger logger, string section);
}
