using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text;

namespace ChasiSre.Platform.ClickHouse;

/// <summary>Reads a chDB result while its native buffer is alive.</summary>
internal delegate T ChDbOutputReader<out T>(ReadOnlySpan<byte> output);

/// <summary>
/// The process-wide chDB engine: one connection on one data path, shared by every
/// <see cref="ChDbStore"/>, driven by one dedicated thread that runs one statement at a time.
/// </summary>
/// <remarks>
/// chDB runs one engine per process on one data path (26.5 refuses a second path while a
/// connection is open), and a connection runs one statement at a time. Every native call is made
/// from the same thread: ClickHouse keeps per-thread state, and calls from many thread-pool
/// threads left the process crashing in its exit handlers. The connection stays open for the life
/// of the process: reopening would re-run the engine start and its signal handler dance for no gain.
/// </remarks>
[SuppressMessage("Reliability", "CA1001", Justification = "One engine per process, alive until the process exits.")]
internal sealed class ChDbEngine
{
    private static readonly Lock OpenGate = new();
    private static ChDbEngine? s_shared;

    private readonly ChDbApi _api;
    private readonly BlockingCollection<Action> _work = [];

    // The chdb_connection* returned by chdb_connect; only touched on the engine thread.
    private nint _connection;

    private ChDbEngine(ChDbApi api, string dataPath, string libraryPath)
    {
        _api = api;
        DataPath = dataPath;
        LibraryPath = libraryPath;
    }

    public string DataPath { get; }

    public string LibraryPath { get; }

    /// <summary>Opens the engine on <paramref name="dataPath"/>, or returns it when it is already open there.</summary>
    /// <param name="dataPath">The data directory; created if missing.</param>
    /// <param name="created">True when this call started the engine.</param>
    public static ChDbEngine OpenShared(string dataPath, out bool created)
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

            // A fresh path without metadata/ starts chDB 26.5 without the catalog's drop-cleanup task, and
            // every DROP ... SYNC then hangs forever (fixed upstream in chdb-io/chdb-core#173).
            Directory.CreateDirectory(Path.Combine(fullPath, "metadata"));
            var engine = new ChDbEngine(api, fullPath, libraryPath);
            engine.Start();
            s_shared = engine;
            created = true;
            return s_shared;
        }
    }

    /// <summary>Runs one or more statements; <paramref name="read"/> sees the output in <paramref name="format"/>.</summary>
    /// <remarks>Cancellation takes effect while the statement waits for the engine; a running statement completes.</remarks>
    public Task<T> QueryAsync<T>(ReadOnlyMemory<byte> sqlUtf8, string format, ChDbOutputReader<T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = cancellationToken.Register(() => completion.TrySetCanceled(cancellationToken));
        try
        {
            _work.Add(
                () =>
                {
                    // After Dispose no cancellation callback runs any more: either it already won, or the statement runs to the end.
                    registration.Dispose();
                    if (completion.Task.IsCompleted)
                    {
                        return;
                    }

                    try
                    {
                        completion.TrySetResult(Run(sqlUtf8, format, read));
                    }
                    catch (Exception exception)
                    {
                        completion.TrySetException(exception);
                    }
                },
                CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // Adding was completed: the engine shut down because the process is exiting.
            registration.Unregister();
            return Task.FromException<T>(new ObjectDisposedException(nameof(ChDbEngine), "The chDB engine has shut down (the process is exiting)."));
        }

        return completion.Task;
    }

    public Task<T> QueryAsync<T>(string sql, string format, ChDbOutputReader<T> read, CancellationToken cancellationToken) =>
        QueryAsync(Encoding.UTF8.GetBytes(sql), format, read, cancellationToken);

    private void Start()
    {
        ExceptionDispatchInfo? failure = null;
        using var connected = new ManualResetEventSlim();
        var thread = new Thread(() =>
        {
            try
            {
                _connection = ConnectOnThisThread(_api, DataPath);
            }
            catch (Exception exception)
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
            finally
            {
                connected.Set();
            }

            if (failure is null)
            {
                foreach (var work in _work.GetConsumingEnumerable())
                {
                    work();
                }
            }
        })
        {
            IsBackground = true,
            Name = "chDB engine",
        };
        thread.Start();
        connected.Wait();
        failure?.Throw();

        // libchdb's exit handlers crash while the engine still runs, so stop it before the process exits.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Shutdown(TimeSpan.FromSeconds(30));
    }

    /// <summary>Closes the connection on the engine thread (which then ends); later statements fail.</summary>
    private void Shutdown(TimeSpan timeout)
    {
        using var closed = new ManualResetEventSlim();
        try
        {
            _work.Add(
                () =>
                {
                    try
                    {
                        CloseOnThisThread();
                    }
                    finally
                    {
                        closed.Set();
                    }
                },
                CancellationToken.None);
            _work.CompleteAdding();
        }
        catch (InvalidOperationException)
        {
            return;
        }

        closed.Wait(timeout);
    }

    private unsafe void CloseOnThisThread()
    {
        if (_connection != 0)
        {
            _api.CloseConnection((nint*)_connection);
            _connection = 0;
        }
    }

    private static unsafe nint ConnectOnThisThread(ChDbApi api, string dataPath)
    {
        var connection = Connect(api, ["clickhouse", "--path=" + dataPath]);
        if (connection == null || *connection == 0)
        {
            throw new InvalidOperationException(
                $"chdb_connect failed for data path {dataPath} (is the directory writable, and not used by another chDB process?)");
        }

        return (nint)connection;
    }

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
