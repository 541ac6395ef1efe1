namespace ChasiSre.Platform.Inference.Tests;

public sealed class NativeLibraryProbeTests
{
    [Fact]
    public void LlamaNativeTryLoad_PackagedBackend_ReportsLoadedFile()
    {
        bool loaded = LlamaNative.TryLoad(out var loadedFrom, out var problem);

        Assert.True(loaded, problem);
        Assert.Null(problem);
        if (OperatingSystem.IsLinux())
        {
            Assert.True(File.Exists(loadedFrom), loadedFrom);
            Assert.Equal("libllama.so", Path.GetFileName(loadedFrom));
            Assert.StartsWith(Path.Combine(AppContext.BaseDirectory, "runtimes"), loadedFrom, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void OnnxRuntimeNativeTryLoad_PackagedRuntime_ReportsLoadedFileAndVersion()
    {
        bool loaded = OnnxRuntimeNative.TryLoad(out var loadedFrom, out var problem);

        Assert.True(loaded, problem);
        Assert.Null(problem);
        Assert.NotNull(loadedFrom);
        Assert.Contains("ONNX Runtime 1.", loadedFrom, StringComparison.Ordinal);
        if (OperatingSystem.IsLinux())
        {
            string path = loadedFrom[..loadedFrom.IndexOf(" (", StringComparison.Ordinal)];
            Assert.True(File.Exists(path), path);
            Assert.Equal("libonnxruntime.so", Path.GetFileName(path));
        }
    }
}
