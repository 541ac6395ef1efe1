using System.Runtime.InteropServices;

namespace ChasiSre.Platform.ClickHouse;

/// <summary>
/// Saves and restores the process's signal handlers around chDB's engine start.
/// </summary>
/// <remarks>
/// Starting the ClickHouse engine replaces handlers the .NET runtime depends on: SIGSEGV/SIGBUS/SIGFPE
/// (turned into NullReferenceException and friends), SIGRTMIN (thread activation for the GC) and others.
/// Even <c>chdb_set_signal_handlers_enabled(0)</c> resets them to SIG_DFL, after which the first
/// NullReferenceException kills the process. So the handlers are captured before every
/// <c>chdb_connect</c> and every one the runtime owned (not SIG_DFL) is put back afterwards.
/// </remarks>
internal static unsafe partial class PosixSignalDispositions
{
    private const int SignalCount = 65;

    // glibc's struct sigaction is 152 bytes on x86-64 and aarch64; keep room to spare.
    private const int SlotSize = 256;

    public static byte[] Capture()
    {
        var saved = new byte[SignalCount * SlotSize];
        if (!OperatingSystem.IsLinux())
        {
            return saved;
        }

        fixed (byte* slots = saved)
        {
            for (var signal = 1; signal < SignalCount; signal++)
            {
                if (Sigaction(signal, null, slots + (signal * SlotSize)) != 0)
                {
                    // Signals glibc reserves (32, 33) cannot be queried; mark them as not ours.
                    new Span<byte>(slots + (signal * SlotSize), SlotSize).Clear();
                }
            }
        }

        return saved;
    }

    /// <summary>Restores every handler that was not SIG_DFL in <paramref name="saved"/> and has changed since.</summary>
    /// <returns>The signals that were restored.</returns>
    public static IReadOnlyList<int> RestoreChanged(byte[] saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        var restored = new List<int>();
        if (!OperatingSystem.IsLinux())
        {
            return restored;
        }

        var current = Capture();
        fixed (byte* slots = saved)
        {
            for (var signal = 1; signal < SignalCount; signal++)
            {
                var was = BitConverter.ToInt64(saved, signal * SlotSize);
                var now = BitConverter.ToInt64(current, signal * SlotSize);
                if (was != 0 && was != now && Sigaction(signal, slots + (signal * SlotSize), null) == 0)
                {
                    restored.Add(signal);
                }
            }
        }

        return restored;
    }

    [LibraryImport("libc", EntryPoint = "sigaction", SetLastError = true)]
    private static partial int Sigaction(int signal, byte* action, byte* oldAction);
}
