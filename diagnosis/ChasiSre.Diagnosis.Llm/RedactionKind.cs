namespace ChasiSre.Diagnosis.Llm;

/// <summary>The kinds of identifying values the redaction pseudonymises; the token is <c>&lt;kind-n&gt;</c>.</summary>
public enum RedactionKind
{
    /// <summary><c>&lt;cluster-n&gt;</c></summary>
    Cluster,

    /// <summary><c>&lt;tenant-n&gt;</c></summary>
    Tenant,

    /// <summary><c>&lt;namespace-n&gt;</c></summary>
    Namespace,

    /// <summary><c>&lt;pod-n&gt;</c></summary>
    Pod,

    /// <summary><c>&lt;node-n&gt;</c></summary>
    Node,

    /// <summary><c>&lt;host-n&gt;</c></summary>
    Host,

    /// <summary><c>&lt;ip-n&gt;</c>, found by pattern (IPv4, IPv6).</summary>
    Ip,

    /// <summary><c>&lt;registry-n&gt;</c>, found by pattern: registry host and path of an image reference; the image name and tag stay.</summary>
    Registry,
}
