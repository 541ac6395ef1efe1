namespace ChasiSre.TestKit;

/// <summary>The repository the tests run from: the first directory above the test binaries holding ChasiSre.sln.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string?> Found = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ChasiSre.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    });

    /// <summary>The repository root, or null when the binaries run outside a checkout.</summary>
    public static string? TryFind() => Found.Value;

    /// <summary>The repository root.</summary>
    /// <exception cref="InvalidOperationException">No ChasiSre.sln above the test binaries.</exception>
    public static string Location => Found.Value ?? throw new InvalidOperationException($"ChasiSre.sln not found above {AppContext.BaseDirectory}.");
}
