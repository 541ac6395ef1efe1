using System.Runtime.InteropServices;

namespace ChasiSre.Platform.Inference;

/// <summary>Finds the file a native library was actually loaded from.</summary>
internal static class NativeLibraryLocator
{
    /// <summary>
    /// The full path of the mapped shared object named <paramref name="fileName"/> (e.g. <c>libllama.so</c>),
    /// from <c>/proc/self/maps</c> on Linux: the dynamic loader's own answer, whatever search
    /// rule found it. Null when not mapped or not on Linux.
    /// </summary>
    public static string? FindLoaded(string fileName)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                int slash = line.IndexOf('/', StringComparison.Ordinal);
                if (slash < 0)
                {
                    continue;
                }

                string path = line[slash..].Trim();
                if (string.Equals(Path.GetFileName(path), fileName, StringComparison.Ordinal))
                {
                    return path;
                }
            }
        }
        catch (IOException)
        {
            // /proc not mounted: the path stays unknown.
        }
        catch (UnauthorizedAccessException)
        {
            // Restricted /proc: the path stays unknown.
        }

        return null;
    }

    /// <summary>The runtime identifier folder NuGet native assets use for this process (e.g. <c>linux-x64</c>).</summary>
    public static string RuntimeFolder()
    {
        string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        if (OperatingSystem.IsWindows())
        {
            return "win-" + arch;
        }

        if (OperatingSystem.IsMacOS())
        {
            return "osx-" + arch;
        }

        bool musl = File.Exists("/etc/alpine-release");
        return (musl ? "linux-musl-" : "linux-") + arch;
    }
}
