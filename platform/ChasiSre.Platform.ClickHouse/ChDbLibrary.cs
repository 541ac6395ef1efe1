using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace ChasiSre.Platform.ClickHouse;

/// <summary>
/// Finds and loads libchdb.so (the ClickHouse engine as a shared library, from the npm package
/// <c>@chdb/lib-linux-x64-gnu</c>) and binds its C API. The library is loaded once per process.
/// </summary>
public static class ChDbLibrary
{
    /// <summary>
    /// The chDB version this code is built and tested against. Single source of truth:
    /// <c>eng/fetch-chdb.sh</c> reads it from this line, so keep the declaration on one line.
    /// </summary>
    public const string PinnedVersion = "26.5.3";

    /// <summary>Environment variable naming a libchdb.so file to load instead of the cached one.</summary>
    public const string LibraryPathVariable = "CHASI_CHDB_LIB";

    /// <summary>Environment variable naming the cache root (default <c>$HOME/.cache/chasisre</c>).</summary>
    public const string CacheVariable = "CHASI_CACHE";

    private const string FetchHint = "run eng/fetch-chdb.sh";

    private static readonly Lock Gate = new();
    private static ChDbApi? s_api;
    private static string? s_loadedFrom;

    /// <summary>
    /// Where <c>eng/fetch-chdb.sh</c> puts libchdb.so for <see cref="PinnedVersion"/>:
    /// <c>${CHASI_CACHE:-$HOME/.cache/chasisre}/chdb/&lt;version&gt;/libchdb.so</c>.
    /// </summary>
    public static string DefaultLibraryPath => Path.Combine(CacheRoot(), "chdb", PinnedVersion, "libchdb.so");

    /// <summary>The path the library would be loaded from: <c>CHASI_CHDB_LIB</c> if set, else <see cref="DefaultLibraryPath"/>.</summary>
    public static string ResolveLibraryPath() =>
        Environment.GetEnvironmentVariable(LibraryPathVariable) is { Length: > 0 } explicitPath
            ? Path.GetFullPath(explicitPath)
            : DefaultLibraryPath;

    /// <summary>
    /// Loads libchdb.so once per process. On failure <paramref name="problem"/> says what is wrong
    /// and how to fix it (for <c>chasi doctor</c> and test fixtures).
    /// </summary>
    public static bool TryLoad([NotNullWhen(true)] out string? loadedFrom, [NotNullWhen(false)] out string? problem)
    {
        lock (Gate)
        {
            if (s_api is not null)
            {
                loadedFrom = s_loadedFrom!;
                problem = null;
                return true;
            }

            loadedFrom = null;
            var fromVariable = Environment.GetEnvironmentVariable(LibraryPathVariable) is { Length: > 0 };
            var path = ResolveLibraryPath();
            if (!File.Exists(path))
            {
                problem = fromVariable
                    ? $"libchdb.so not found at {path} ({LibraryPathVariable} points there); fix or unset {LibraryPathVariable}, or {FetchHint}"
                    : $"libchdb.so not found at {path}; {FetchHint} (fetches chDB {PinnedVersion}) or set {LibraryPathVariable} to a libchdb.so file";
                return false;
            }

            if (!OperatingSystem.IsLinux() && !fromVariable)
            {
                problem = $"the cached chDB build is for linux-x64 only; set {LibraryPathVariable} to a libchdb for this platform";
                return false;
            }

            nint handle;
            try
            {
                handle = NativeLibrary.Load(path);
            }
            catch (Exception exception) when (exception is DllNotFoundException or BadImageFormatException)
            {
                problem = $"cannot load {path}: {exception.Message}; re-run eng/fetch-chdb.sh --verify, or point {LibraryPathVariable} at a working libchdb.so";
                return false;
            }

            if (!ChDbApi.TryBind(handle, out var api, out var missingExport))
            {
                NativeLibrary.Free(handle);
                problem = $"{path} does not export {missingExport}, so it is not a chDB {PinnedVersion}-compatible libchdb.so; {FetchHint} or fix {LibraryPathVariable}";
                return false;
            }

            s_api = api;
            s_loadedFrom = path;
            loadedFrom = path;
            problem = null;
            return true;
        }
    }

    /// <summary>The bound C API; loads the library first and throws with the fix if it cannot.</summary>
    internal static ChDbApi Load(out string loadedFrom)
    {
        if (!TryLoad(out var path, out var problem))
        {
            throw new InvalidOperationException("chDB is not available: " + problem);
        }

        loadedFrom = path;
        return s_api!;
    }

    private static string CacheRoot()
    {
        if (Environment.GetEnvironmentVariable(CacheVariable) is { Length: > 0 } cache)
        {
            return Path.GetFullPath(cache);
        }

        var home = Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } h
            ? h
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".cache", "chasisre");
    }
}
