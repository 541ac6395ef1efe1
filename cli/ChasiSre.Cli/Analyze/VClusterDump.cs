namespace ChasiSre.Cli.Analyze;

/// <summary>A <c>--vcluster-dump NAME[@HOSTNAMESPACE]=DIR</c> argument: the dump of vCluster <paramref name="Name"/>
/// (taken through its own kubeconfig), whose control plane runs in <paramref name="HostNamespace"/> of the host dump
/// (found there when not given).</summary>
internal sealed record VClusterDump(string Name, string? HostNamespace, string Directory)
{
    /// <summary>Parses <c>NAME=DIR</c> or <c>NAME@HOSTNAMESPACE=DIR</c>; null with <paramref name="error"/> set when malformed.</summary>
    public static VClusterDump? Parse(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var name = equals > 0 ? text[..equals] : "";
        var directory = equals > 0 ? text[(equals + 1)..] : "";
        string? hostNamespace = null;
        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            hostNamespace = name[(at + 1)..];
            name = name[..at];
        }

        if (name.Length == 0 || directory.Length == 0 || hostNamespace is { Length: 0 })
        {
            error = $"--vcluster-dump '{text}': expected NAME=DIR or NAME@HOSTNAMESPACE=DIR";
            return null;
        }

        error = null;
        return new VClusterDump(name, hostNamespace, directory);
    }
}
