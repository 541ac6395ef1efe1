using System.Diagnostics.CodeAnalysis;
using LLama.Exceptions;
using LLama.Native;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Platform.Inference;

/// <summary>
/// The llama.cpp native library as LLamaSharp loads it: a probe for <c>chasi doctor</c> and the
/// single place that routes llama.cpp's log (otherwise printed to stderr) to an <see cref="ILogger"/>
/// at Debug (warnings, errors) and Trace (everything else).
/// </summary>
/// <remarks>
/// LLamaSharp picks <c>runtimes/&lt;rid&gt;/native/&lt;avx512|avx2|avx|noavx&gt;/libllama.so</c> (with
/// <c>libggml*.so</c> beside it) under the application directory, the best one the CPU supports.
/// Its loader configuration is frozen by the first native call, so the log route is installed
/// before that call.
/// </remarks>
public static class LlamaNative
{
    private static readonly Lock Gate = new();
    private static readonly NativeLogConfig.LLamaLogCallback Callback = OnNativeLog;
    private static ILogger s_logger = NullLogger.Instance;
    private static bool s_routed;

    /// <summary>The native library file name on this OS.</summary>
    public static string LibraryFileName { get; } =
        OperatingSystem.IsWindows() ? "llama.dll" : OperatingSystem.IsMacOS() ? "libllama.dylib" : "libllama.so";

    /// <summary>
    /// Sends llama.cpp's and LLamaSharp's native log to <paramref name="logger"/> (Debug and Trace
    /// only). Process-wide: the latest logger wins.
    /// </summary>
    public static void RouteLogsTo(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        s_logger = logger;
        EnsureLogRoute();
    }

    /// <summary>
    /// Loads llama.cpp if it is not loaded yet and reports the file the dynamic loader used.
    /// </summary>
    /// <param name="loadedFrom">Full path of the loaded <c>libllama</c> (on Linux read from <c>/proc/self/maps</c>).</param>
    /// <param name="problem">Why it did not load and what exactly to do about it.</param>
    public static bool TryLoad([NotNullWhen(true)] out string? loadedFrom, [NotNullWhen(false)] out string? problem)
    {
        EnsureLogRoute();
        try
        {
            // Forces LLamaSharp's loader (static constructor of NativeApi) and resolves the first entry point.
            NativeApi.llama_empty_call();
        }
        catch (Exception ex) when (ex is TypeInitializationException or DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or RuntimeError)
        {
            loadedFrom = null;
            problem = Explain(ex);
            return false;
        }

        loadedFrom = NativeLibraryLocator.FindLoaded(LibraryFileName) ?? DescribeUnlocated();
        problem = null;
        Log.NativeLibraryLoaded(s_logger, LibraryFileName, loadedFrom);
        return true;
    }

    internal static void EnsureLogRoute()
    {
        lock (Gate)
        {
            if (s_routed)
            {
                return;
            }

            if (!NativeLibraryConfig.LLama.LibraryHasLoaded)
            {
                // Covers LLamaSharp's loader messages and, once loaded, llama.cpp's own log.
                NativeLibraryConfig.All.WithLogCallback(Callback);
            }
            else
            {
                NativeLogConfig.llama_log_set(Callback);
            }

            s_routed = true;
        }
    }

    private static void OnNativeLog(LLamaLogLevel level, string message)
    {
        var logger = s_logger;
        var logLevel = level is LLamaLogLevel.Error or LLamaLogLevel.Warning ? LogLevel.Debug : LogLevel.Trace;
        if (!logger.IsEnabled(logLevel))
        {
            return;
        }

        string text = message.TrimEnd();
        if (text.Length > 0)
        {
            Log.LlamaNativeMessage(logger, logLevel, text);
        }
    }

    private static string DescribeUnlocated()
    {
        var library = NativeApi.GetLoadedNativeLibrary(NativeLibraryName.LLama);
        return library?.Metadata is { } metadata
            ? $"{LibraryFileName} ({metadata.AvxLevel} CPU build; path not observable on this OS)"
            : $"{LibraryFileName} (path not observable on this OS)";
    }

    private static string Explain(Exception ex)
    {
        var root = ex;
        while (root.InnerException is not null)
        {
            root = root.InnerException;
        }

        string rid = NativeLibraryLocator.RuntimeFolder();
        string folder = Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native");
        string cause = root.Message;
        string fix;
        if (cause.Contains("libgomp", StringComparison.Ordinal))
        {
            fix = "install the GNU OpenMP runtime that llama.cpp links to (Debian/Ubuntu: apt-get install libgomp1).";
        }
        else if (cause.Contains("GLIBC", StringComparison.Ordinal) || cause.Contains("GLIBCXX", StringComparison.Ordinal))
        {
            fix = "the prebuilt llama.cpp needs glibc 2.34 or newer and a matching libstdc++6: run on a newer base image (e.g. Debian 12).";
        }
        else if (!Directory.Exists(folder))
        {
            fix = $"the LLamaSharp.Backend.Cpu 0.30.0 native files are missing: '{folder}' should hold avx512/, avx2/, avx/ and noavx/ folders with {LibraryFileName}, libggml.so, libggml-base.so and libggml-cpu.so. Reference LLamaSharp.Backend.Cpu from the application project and rebuild or republish (dotnet publish -r {rid} keeps runtimes/{rid}/native).";
        }
        else
        {
            fix = $"run 'ldd {Path.Combine(folder, "avx2", LibraryFileName)}' to see which dependency is missing (llama.cpp needs libstdc++6, libgcc-s1 and libgomp1), install it, and check that the files under '{folder}' come from LLamaSharp.Backend.Cpu 0.30.0 (the version LLamaSharp 0.30.0 binds to).";
        }

        return $"llama.cpp ({LibraryFileName}) could not be loaded: {cause.TrimEnd('.')}. Fix: {fix}";
    }
}
