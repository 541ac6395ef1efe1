using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace ChasiSre.Platform.Kafka;

/// <summary>
/// Picks the librdkafka build that Confluent.Kafka (and Streamiz on top of it) loads, so that
/// the mock-cluster C API is called in the very same library. The default
/// <c>librdkafka.so</c> of librdkafka.redist links libsasl2; where that is absent the
/// self-contained <c>centos8-librdkafka.so</c> from the same package is used instead.
/// </summary>
public static class LibrdkafkaLibrary
{
    /// <summary>Environment variable naming an explicit librdkafka file.</summary>
    public const string PathVariable = "CHASI_LIBRDKAFKA";

    private static readonly Lock Gate = new();
    private static string? loadedPath;
    private static nint handle;

    /// <summary>Native handle of the loaded library (for <see cref="NativeLibrary.GetExport"/>).</summary>
    internal static nint Handle
    {
        get
        {
            EnsureLoaded();
            return handle;
        }
    }

    /// <summary>Loads librdkafka once, for Confluent.Kafka and for the mock API; returns its path.</summary>
    public static string EnsureLoaded()
    {
        if (TryLoad(out var path, out var problem))
        {
            return path;
        }

        throw new DllNotFoundException(problem);
    }

    /// <summary>Loads librdkafka if needed; reports where from, or what to do.</summary>
    public static bool TryLoad([NotNullWhen(true)] out string? loadedFrom, [NotNullWhen(false)] out string? problem)
    {
        lock (Gate)
        {
            if (loadedPath is not null)
            {
                loadedFrom = loadedPath;
                problem = null;
                return true;
            }

            // Confluent.Kafka may have loaded a build first (a client created before us): use that one.
            if (Confluent.Kafka.Library.IsLoaded && LoadedInProcess() is { } already)
            {
                return Loaded(already, NativeLibrary.Load(already), out loadedFrom, out problem);
            }

            var errors = new List<string>();
            foreach (var candidate in Candidates().Where(File.Exists))
            {
                if (!NativeLibrary.TryLoad(candidate, out var h))
                {
                    errors.Add($"{candidate} does not load (a dependency is missing; `ldd {candidate}` names it)");
                    continue;
                }

                handle = h;
                ResolveForConfluent();
                Confluent.Kafka.Library.Load(candidate);
                return Loaded(candidate, h, out loadedFrom, out problem);
            }

            loadedFrom = null;
            problem = errors.Count == 0
                ? $"librdkafka not found under {NativeDirectory()}: restore the Confluent.Kafka package (dotnet restore) or set {PathVariable} to a librdkafka.so"
                : "librdkafka does not load: " + string.Join("; ", errors) +
                  $". Install libsasl2 (apt-get install libsasl2-2) or set {PathVariable} to a self-contained build such as centos8-librdkafka.so";
            return false;
        }
    }

    /// <summary>
    /// Points Confluent.Kafka's imports at the chosen file. Its imports name "librdkafka" (and
    /// variants), which default probing would resolve to the libsasl2-linked build; and it
    /// loads explicit paths through <c>dlopen</c> imported from "libdl", while glibc 2.34+
    /// systems ship only <c>libdl.so.2</c>.
    /// </summary>
    private static void ResolveForConfluent()
    {
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(Confluent.Kafka.Library).Assembly, static (name, assembly, path) =>
                name.Contains("rdkafka", StringComparison.Ordinal) ? handle
                : name == "libdl" && NativeLibrary.TryLoad("libdl.so.2", assembly, path, out var libdl) ? libdl
                : IntPtr.Zero);
        }
        catch (InvalidOperationException)
        {
            // A resolver is already set for Confluent.Kafka (by the host); leave it in charge.
        }
    }

    private static bool Loaded(string path, nint h, out string loadedFrom, out string? problem)
    {
        loadedPath = path;
        handle = h;
        loadedFrom = path;
        problem = null;
        return true;
    }

    private static IEnumerable<string> Candidates()
    {
        if (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } explicitPath)
        {
            yield return explicitPath;
        }

        var dir = NativeDirectory();
        yield return Path.Combine(dir, "librdkafka.so");
        yield return Path.Combine(dir, "centos8-librdkafka.so");
        yield return Path.Combine(AppContext.BaseDirectory, "librdkafka.so");
    }

    private static string NativeDirectory() =>
        Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier.StartsWith("linux-arm64", StringComparison.Ordinal) ? "linux-arm64" : "linux-x64", "native");

    /// <summary>The librdkafka file mapped into this process, read from /proc/self/maps.</summary>
    private static string? LoadedInProcess()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps))
        {
            return null;
        }

        foreach (var line in File.ReadLines(maps))
        {
            var slash = line.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                continue;
            }

            var path = line[slash..].Trim();
            var file = Path.GetFileName(path);
            if (file.EndsWith("librdkafka.so", StringComparison.Ordinal) || file.StartsWith("librdkafka.so.", StringComparison.Ordinal))
            {
                return path;
            }
        }

        return null;
    }

    private static bool SameFile(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);
}
