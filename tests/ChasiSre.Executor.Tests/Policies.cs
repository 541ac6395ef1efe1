namespace ChasiSre.Executor.Tests;

/// <summary>Policies of the flow tests, in the YAML people write.</summary>
internal static class Policies
{
    /// <summary>Tenant actions need approval (the default); host node actions need approval too, by rule.</summary>
    public static ActionPolicy HostNeedsApproval { get; } = PolicyLoader.Parse("""
        apiVersion: chasi.io/v1alpha1
        kind: ActionPolicy
        metadata:
          name: tests
        spec:
          rules:
          - name: host-nodes-approval
            match:
              layers: [host]
              actions: [cordon-node, uncordon-node]
            decision: approval
        """, "host-approval.yaml");

    /// <summary>Restarts in the shop vCluster run on their own; everything else needs approval; host actions are denied.</summary>
    public static ActionPolicy ShopRestartsAuto { get; } = PolicyLoader.Parse("""
        apiVersion: chasi.io/v1alpha1
        kind: ActionPolicy
        metadata:
          name: tests-auto
        spec:
          limits:
            maxActionsPerTenantPerHour: 2
          rules:
          - name: shop-restarts-auto
            match:
              clusters: ["vc-*"]
              tenants: [shop]
              actions: [rollout-restart, delete-pod]
            decision: auto
        """, "auto.yaml");
}
