using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text;

namespace ChasiSre.Platform.ClickHouse;

/// <summary>Reads a chDB result while its native buffer is alive.</summary>
internal delegate T ChDbOutputReader<out T>(ReadOnlySpan<byte> output);

/// <summary>
/// The process-wide chDB engine: one connection on one data path, shared by every
/// <see cref="ChDbStore"/> and used by one statement at a time.
/// </summary>
/// <remarks>
/// chDB runs one engine per process on one data path (26.5 refuses a second path while a
/// connection is open), and a connection runs one statement at a time. The connection stays
/// open for the life of the process: reopening would re-run the engine start and its signal
/// handler dance for no gain.
/// </remarks>
[SuppressMessage("Reliability", "CA1001", Justification = "One engine per process, alive until the process exits; the semaphore never allocates a wait handle.")]
internal sealed class ChDbEngine
{
    private static readonly Lock OpenGate = new();
    private static ChDbEngine? s_shared;

    private readonly ChDbApi _api;
    // The chdb_connection* returned by chdb_connect.
    private readonly nint _connection;
    private readonly SemaphoreSlim _statementGate = new(1, 1);

    private ChDbEngine(ChDbApi api, nint connection, string dataPath, string libraryPath)
    {
        _api = api;
        _connection = connection;
        DataPath = dataPath;
        LibraryPath = libraryPath;
    }

    public string DataPath { get; }

    public string LibraryPath { get; }

    /// <summary>The engine opened in this process, if any.</summary>
    public static ChDbEngine? Current
    {
        get
        {
            lock (OpenGate)
            {
                return s_shared;
            }
        }
    }

    /// <summary>Opens the engine on <paramref name="dataPath"/>, or returns it when it is already open there.</summary>
    /// <param name="dataPath">The data directory; created if missing.</param>
    /// <param name="created">True when this call started the engine.</param>
    public static unsafe ChDbEngine OpenShared(string dataPath, out bool created)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataPath);
        var fullPath = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataPath));
        lock (OpenGate)
        {
            created = false;
            if (s_shared is not null)
            {
                if (!string.Equals(s_shared.DataPath, fullPath, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException(
                        $"chDB is already open on {s_shared.DataPath} in this process and runs one data path per process; " +
                        $"cannot also open {fullPath}. Use one ClickHouse:EmbeddedDataPath per process (tests: one path, a database per test).");
                }

                return s_shared;
            }

            var api = ChDbLibrary.Load(out var libraryPath);
            Directory.CreateDirectory(fullPath);
            var connection = Connect(api, ["clickhouse", "--path=" + fullPath]);
            if (connection == null || *connection == 0)
            {
                throw new InvalidOperationException(
                    $"chdb_connect failed for data path {fullPath} (is the directory writable, and not used by another chDB process?)");
            }

            s_shared = new ChDbEngine(api, (nint)connection, fullPath, libraryPath);
            created = true;
            return s_shared;
        }
    }

    /// <summary>Runs one or more statements; <paramref name="read"/> sees the output in <paramref name="format"/>.</summary>
    public async Task<T> QueryAsync<T>(ReadOnlyMemory<byte> sqlUtf8, string format, ChDbOutputReader<T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        await _statementGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();

            // The native call blocks for the whole statement: keep it off the caller's thread.
            return await Task.Run(() => Run(sqlUtf8, format, read), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _statementGate.Release();
        }
    }

    public Task<T> QueryAsync<T>(string sql, string format, ChDbOutputReader<T> read, CancellationToken cancellationToken) =>
        QueryAsync(Encoding.UTF8.GetBytes(sql), format, read, cancellationToken);

    private static unsafe nint* Connect(ChDbApi api, string[] arguments)
    {
        var runtimeHandlers = PosixSignalDispositions.Capture();
        var argv = stackalloc byte*[arguments.Length];
        try
        {
            for (var i = 0; i < arguments.Length; i++)
            {
                argv[i] = (byte*)Marshal.StringToCoTaskMemUTF8(arguments[i]);
            }

            // Ask chDB not to install its crash handlers; it still resets and takes some, see below.
            if (api.SetSignalHandlersEnabled != null)
            {
                api.SetSignalHandlersEnabled(0);
            }

            return api.Connect(arguments.Length, argv);
        }
        finally
        {
            PosixSignalDispositions.RestoreChanged(runtimeHandlers);
            for (var i = 0; i < arguments.Length; i++)
            {
                Marshal.FreeCoTaskMem((nint)argv[i]);
            }
        }
    }

    private unsafe T Run<T>(ReadOnlyMemory<byte> sqlUtf8, string format, ChDbOutputReader<T> read)
    {
        var formatBytes = Encoding.ASCII.GetBytes(format);
        using MemoryHandle sqlHandle = sqlUtf8.Pin();
        nint result;
        fixed (byte* formatPointer = formatBytes)
        {
            result = _api.QueryN(*(nint*)_connection, (byte*)sqlHandle.Pointer, (nuint)sqlUtf8.Length, formatPointer, (nuint)formatBytes.Length);
        }

        if (result == 0)
        {
            throw new ClickHouseStoreException("chdb_query_n returned no result (the chDB connection is closed or out of memory)", errorCode: null);
        }

        try
        {
            var error = _api.ResultError(result);
            if (error != null)
            {
                var message = Marshal.PtrToStringUTF8((nint)error) ?? "unknown chDB error";
                throw new ClickHouseStoreException(message.Trim(), ClickHouseStoreException.ParseErrorCode(message));
            }

            var buffer = _api.ResultBuffer(result);
            var length = checked((int)_api.ResultLength(result));
            return read(buffer == null ? ReadOnlySpan<byte>.Empty : new ReadOnlySpan<byte>(buffer, length));
        }
        finally
        {
            _api.DestroyQueryResult(result);
        }
    }
}
