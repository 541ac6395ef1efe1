namespace ChasiSre.Operator;

/// <summary>The chasi.io/v1alpha1 resources the operator reconciles, and the names it writes.</summary>
public static class ChasiResources
{
    public const string Group = "chasi.io";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;

    public const string SreAgentKind = "SreAgent";
    public const string SreAgents = "sreagents";
    public const string KnowledgeSourceKind = "KnowledgeSource";
    public const string KnowledgeSources = "knowledgesources";
    public const string ActionPolicyKind = "ActionPolicy";
    public const string ActionPolicies = "actionpolicies";

    /// <summary>Condition: the spec was accepted (schema-level checks passed, and for ActionPolicy the executor's loader).</summary>
    public const string ValidCondition = "Valid";

    /// <summary>Condition: what the spec asks for was applied.</summary>
    public const string ReadyCondition = "Ready";

    /// <summary>Label on everything an SreAgent owns: <c>&lt;namespace&gt;.&lt;name&gt;</c> of the agent.</summary>
    public const string AgentLabel = "chasi.io/agent";

    /// <summary>The plural of a kind the operator watches.</summary>
    public static string Plural(string kind) => kind switch
    {
        SreAgentKind => SreAgents,
        KnowledgeSourceKind => KnowledgeSources,
        ActionPolicyKind => ActionPolicies,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a chasi.io kind"),
    };

    /// <summary>Every kind the operator watches.</summary>
    public static IReadOnlyList<string> Kinds { get; } = [SreAgentKind, KnowledgeSourceKind, ActionPolicyKind];
}
