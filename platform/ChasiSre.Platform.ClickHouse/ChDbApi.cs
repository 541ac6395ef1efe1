using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace ChasiSre.Platform.ClickHouse;

/// <summary>
/// The part of chDB's C API (<c>chdb.h</c> of chDB 26.5) this store uses, bound as unmanaged
/// function pointers. Handles: <c>chdb_connection*</c> is <c>nint*</c>, <c>chdb_result*</c> is <c>nint</c>.
/// </summary>
internal sealed unsafe class ChDbApi
{
    /// <summary><c>chdb_connection* chdb_connect(int argc, char** argv)</c>; NULL on failure.</summary>
    public delegate* unmanaged<int, byte**, nint*> Connect { get; private init; }

    /// <summary><c>void chdb_close_conn(chdb_connection* conn)</c>.</summary>
    public delegate* unmanaged<nint*, void> CloseConnection { get; private init; }

    /// <summary><c>chdb_result* chdb_query_n(chdb_connection conn, const char* query, size_t query_len, const char* format, size_t format_len)</c>.</summary>
    public delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nint> QueryN { get; private init; }

    /// <summary><c>char* chdb_result_buffer(chdb_result*)</c>.</summary>
    public delegate* unmanaged<nint, byte*> ResultBuffer { get; private init; }

    /// <summary><c>size_t chdb_result_length(chdb_result*)</c>.</summary>
    public delegate* unmanaged<nint, nuint> ResultLength { get; private init; }

    /// <summary><c>const char* chdb_result_error(chdb_result*)</c>; NULL when the query succeeded.</summary>
    public delegate* unmanaged<nint, byte*> ResultError { get; private init; }

    /// <summary><c>uint64_t chdb_result_rows_read(chdb_result*)</c>.</summary>
    public delegate* unmanaged<nint, ulong> ResultRowsRead { get; private init; }

    /// <summary><c>double chdb_result_elapsed(chdb_result*)</c> in seconds.</summary>
    public delegate* unmanaged<nint, double> ResultElapsed { get; private init; }

    /// <summary><c>void chdb_destroy_query_result(chdb_result*)</c>.</summary>
    public delegate* unmanaged<nint, void> DestroyQueryResult { get; private init; }

    /// <summary><c>void chdb_set_signal_handlers_enabled(int)</c>; optional (null when absent).</summary>
    public delegate* unmanaged<int, void> SetSignalHandlersEnabled { get; private init; }

    private static readonly string[] RequiredExports =
    [
        "chdb_connect", "chdb_close_conn", "chdb_query_n", "chdb_result_buffer", "chdb_result_length",
        "chdb_result_error", "chdb_result_rows_read", "chdb_result_elapsed", "chdb_destroy_query_result",
    ];

    public static bool TryBind(nint library, [NotNullWhen(true)] out ChDbApi? api, [NotNullWhen(false)] out string? missingExport)
    {
        api = null;
        var exports = new Dictionary<string, nint>(StringComparer.Ordinal);
        foreach (var name in RequiredExports)
        {
            if (!NativeLibrary.TryGetExport(library, name, out var address))
            {
                missingExport = name;
                return false;
            }

            exports[name] = address;
        }

        NativeLibrary.TryGetExport(library, "chdb_set_signal_handlers_enabled", out var setSignalHandlers);
        api = new ChDbApi
        {
            Connect = (delegate* unmanaged<int, byte**, nint*>)exports["chdb_connect"],
            CloseConnection = (delegate* unmanaged<nint*, void>)exports["chdb_close_conn"],
            QueryN = (delegate* unmanaged<nint, byte*, nuint, byte*, nuint, nint>)exports["chdb_query_n"],
            ResultBuffer = (delegate* unmanaged<nint, byte*>)exports["chdb_result_buffer"],
            ResultLength = (delegate* unmanaged<nint, nuint>)exports["chdb_result_length"],
            ResultError = (delegate* unmanaged<nint, byte*>)exports["chdb_result_error"],
            ResultRowsRead = (delegate* unmanaged<nint, ulong>)exports["chdb_result_rows_read"],
            ResultElapsed = (delegate* unmanaged<nint, double>)exports["chdb_result_elapsed"],
            DestroyQueryResult = (delegate* unmanaged<nint, void>)exports["chdb_destroy_query_result"],
            SetSignalHandlersEnabled = (delegate* unmanaged<int, void>)setSignalHandlers,
        };
        missingExport = null;
        return true;
    }
}
