namespace ChasiSre.Cli.Run;

/// <summary>The parts <c>chasi run</c> can run; <c>--components</c> picks a subset (a workload each in the Helm chart).</summary>
internal static class PipelineComponents
{
    /// <summary>Host and vCluster watchers, pod logs (<c>Ingest</c>).</summary>
    public const string Ingest = "ingest";

    /// <summary>The business adapter gateway (<c>Gateway</c>).</summary>
    public const string Gateway = "gateway";

    /// <summary>The Streamiz detection topology (<c>Streams</c>, <c>Streams:Correlation</c>).</summary>
    public const string Streams = "streams";

    /// <summary>The ClickHouse sink (<c>ClickHouseSink</c>, <c>ClickHouse</c>).</summary>
    public const string Sink = "sink";

    /// <summary>The diagnosis consumer (<c>Diagnosis:*</c>).</summary>
    public const string Diagnosis = "diagnosis";

    /// <summary>Knowledge sources: runbook directories, past incidents, adapter runbooks (<c>Diagnosis:Knowledge:*</c>).</summary>
    public const string Knowledge = "knowledge";

    /// <summary>The HTTP API (<c>Api</c>).</summary>
    public const string Api = "api";

    /// <summary>The operator: leader-elected reconciler of the chasi.io SreAgent, KnowledgeSource and ActionPolicy resources (<c>Operator</c>).
    /// Named explicitly only: not part of <c>all</c>, which is the pipeline.</summary>
    public const string Operator = "operator";

    /// <summary>The action executor: proposals under the <c>Executor</c> policy, with its own cluster credentials (<c>Executor</c>).</summary>
    public const string Executor = "executor";

    /// <summary>Every component, in start order.</summary>
    public static IReadOnlyList<string> All { get; } = [Sink, Streams, Knowledge, Diagnosis, Executor, Api, Gateway, Ingest];

    /// <summary>Every name <c>--components</c> accepts: the pipeline's components and the operator.</summary>
    public static IReadOnlyList<string> Known { get; } = [.. All, Operator];

    /// <summary>What <c>--embedded</c> runs unless told otherwise: everything but the gateway, which needs adapters.</summary>
    public static IReadOnlyList<string> EmbeddedDefault { get; } = [Sink, Streams, Knowledge, Diagnosis, Executor, Api, Ingest];

    /// <summary>Parses a comma-separated list; throws <see cref="ArgumentException"/> naming an unknown component.</summary>
    public static IReadOnlySet<string> Parse(string list)
    {
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var component = name.ToLowerInvariant();
            if (component == "all")
            {
                chosen.UnionWith(All);
                continue;
            }

            if (!Known.Contains(component))
            {
                throw new ArgumentException($"unknown component '{name}' (known: {string.Join(", ", Known)}, all)");
            }

            chosen.Add(component);
        }

        return chosen.Count > 0 ? chosen : throw new ArgumentException("no component named");
    }
}
