using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Executor;

/// <summary>
/// The executor's current <see cref="ActionPolicy"/>: fixed, or read from a file and re-read by <see cref="Refresh"/>
/// when its content changes (a mounted ConfigMap the operator rewrites when an <c>ActionPolicy</c> changes). A new
/// content that does not load keeps the policy in force (a typo never replaces a working policy); a file that
/// disappears (its ActionPolicy was deleted) falls back to <see cref="ActionPolicy.Default"/>, which decides nothing
/// on its own: every tenant action waits for a person and every host action is denied.
/// </summary>
public sealed class ActionPolicySource
{
    private readonly string? file;
    private readonly ILogger logger;
    private ActionPolicy current;
    private byte[]? loadedHash;
    private byte[]? rejectedHash;

    /// <summary>A policy that never changes.</summary>
    public ActionPolicySource(ActionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        current = policy;
        logger = NullLogger.Instance;
    }

    private ActionPolicySource(string file, ActionPolicy policy, byte[] hash, ILogger logger)
    {
        this.file = file;
        current = policy;
        loadedHash = hash;
        this.logger = logger;
    }

    /// <summary>The policy in force.</summary>
    public ActionPolicy Current => Volatile.Read(ref current);

    /// <summary>The file the policy is read from; null for a fixed policy.</summary>
    public string? File => file;

    /// <summary>Loads <paramref name="path"/>; the start fails on an invalid policy.</summary>
    /// <exception cref="PolicyValidationException">Every problem, file:line:column.</exception>
    public static ActionPolicySource FromFile(string path, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var bytes = ReadLimited(full);
        var policy = Parse(bytes, full);
        logger ??= NullLogger.Instance;
        logger.PolicyLoaded(policy.Name, policy.Source, policy.Rules.Count, policy.FreezeWindows.Count);
        return new ActionPolicySource(full, policy, SHA256.HashData(bytes), logger);
    }

    /// <summary>
    /// Re-reads the file when its content changed since the last load. Returns true when a different policy is now
    /// in force (the new file's, or the default after the file disappeared). One caller at a time (the reload service);
    /// <see cref="Current"/> may be read from any thread meanwhile.
    /// </summary>
    public bool Refresh()
    {
        if (file is null)
        {
            return false;
        }

        byte[] bytes;
        try
        {
            bytes = ReadLimited(file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            if (loadedHash is null)
            {
                return false;
            }

            loadedHash = null;
            rejectedHash = null;
            Volatile.Write(ref current, ActionPolicy.Default);
            logger.PolicyFileGone(file);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Mid-swap or unreadable: keep the policy in force and look again on the next refresh.
            logger.PolicyFileUnreadable(file, e.Message);
            return false;
        }

        var hash = SHA256.HashData(bytes);
        if ((loadedHash is not null && hash.AsSpan().SequenceEqual(loadedHash)) || (rejectedHash is not null && hash.AsSpan().SequenceEqual(rejectedHash)))
        {
            return false;
        }

        try
        {
            var policy = Parse(bytes, file);
            loadedHash = hash;
            rejectedHash = null;
            Volatile.Write(ref current, policy);
            logger.PolicyLoaded(policy.Name, policy.Source, policy.Rules.Count, policy.FreezeWindows.Count);
            return true;
        }
        catch (PolicyValidationException e)
        {
            rejectedHash = hash;
            logger.PolicyRejected(file, Current.Name, e.Message);
            return false;
        }
    }

    private static ActionPolicy Parse(byte[] bytes, string path) => bytes.Length > PolicyLoader.MaxFileBytes
        ? throw new PolicyValidationException([new PolicyError(path, 1, 1, $"the file is larger than {PolicyLoader.MaxFileBytes} bytes, the limit of a policy")])
        : PolicyLoader.Parse(System.Text.Encoding.UTF8.GetString(bytes), path);

    /// <summary>At most one byte more than a policy may have: enough to tell it is too large.</summary>
    private static byte[] ReadLimited(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var buffer = new byte[(int)Math.Min(stream.Length, PolicyLoader.MaxFileBytes + 1)];
        stream.ReadExactly(buffer);
        return buffer;
    }
}
