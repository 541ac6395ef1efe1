using System.Text.Json.Nodes;

namespace ChasiSre.Ingest.Simulator.Tests;

/// <summary>Kubernetes objects as JSON, built the way the API server would return them.</summary>
internal static class TestObjects
{
    public static JsonObject Namespace(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["status"] = new JsonObject { ["phase"] = "Active" },
    };

    public static JsonObject Pod(string ns, string name, string phase = "Running", string node = "node-a", JsonObject? labels = null, params string[] containers)
    {
        if (containers.Length == 0)
        {
            containers = ["app"];
        }

        var specContainers = new JsonArray();
        var statuses = new JsonArray();
        foreach (var c in containers)
        {
            specContainers.Add(new JsonObject { ["name"] = c, ["image"] = $"registry.local/{c}:1.0" });
            statuses.Add(new JsonObject
            {
                ["name"] = c,
                ["ready"] = phase == "Running",
                ["restartCount"] = 0,
                ["image"] = $"registry.local/{c}:1.0",
                ["state"] = phase == "Running"
                    ? new JsonObject { ["running"] = new JsonObject { ["startedAt"] = "2026-01-01T00:00:00Z" } }
                    : new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ContainerCreating" } },
            });
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = labels ?? new JsonObject() },
            ["spec"] = new JsonObject { ["nodeName"] = node, ["containers"] = specContainers },
            ["status"] = new JsonObject { ["phase"] = phase, ["podIP"] = "10.0.0.1", ["containerStatuses"] = statuses },
        };
    }

    public static JsonObject Labels(params (string Key, string Value)[] labels)
    {
        var o = new JsonObject();
        foreach (var (k, v) in labels)
        {
            o[k] = v;
        }

        return o;
    }
}
