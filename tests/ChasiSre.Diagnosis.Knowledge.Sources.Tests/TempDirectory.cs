namespace ChasiSre.Diagnosis.Knowledge.Sources.Tests;

/// <summary>A unique temporary directory, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("chasisre-kbsrc-").FullName;

    public string File(string relative) => System.IO.Path.Combine(Path, relative);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: Lucene may still hold a file handle briefly on some file systems.
        }
    }
}
