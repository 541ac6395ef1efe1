using System.Globalization;
using System.Text.RegularExpressions;

namespace ChasiSre.Platform.ClickHouse;

/// <summary>A statement failed in ClickHouse (either backend); <see cref="ErrorCode"/> is ClickHouse's error code.</summary>
public sealed partial class ClickHouseStoreException : Exception
{
    public ClickHouseStoreException()
    {
    }

    public ClickHouseStoreException(string message)
        : base(message)
    {
    }

    public ClickHouseStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ClickHouseStoreException(string message, int? errorCode, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
    }

    /// <summary>ClickHouse's error code (for example 62 for a syntax error, 60 for an unknown table), if known.</summary>
    public int? ErrorCode { get; }

    /// <summary>Reads the code from a ClickHouse error text such as <c>Code: 62. DB::Exception: ...</c>.</summary>
    public static int? ParseErrorCode(string? message)
    {
        if (message is null)
        {
            return null;
        }

        var match = CodePattern().Match(message);
        return match.Success ? int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"Code:\s*(\d+)")]
    private static partial Regex CodePattern();
}
