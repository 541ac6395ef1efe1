using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace ChasiSre.Ingest.Simulator.Tests;

/// <summary>CRDs written through the API become served kinds (discovery, REST, status subresource, schema validation), and RBAC kinds are served.</summary>
public sealed class CustomResourceDefinitionTests
{
    private static JsonObject Crd(string scope = "Namespaced", string name = "widgets.example.com") => new()
    {
        ["apiVersion"] = "apiextensions.k8s.io/v1",
        ["kind"] = "CustomResourceDefinition",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["group"] = "example.com",
            ["scope"] = scope,
            ["names"] = new JsonObject { ["kind"] = "Widget", ["plural"] = "widgets", ["shortNames"] = new JsonArray("wd") },
            ["versions"] = new JsonArray(new JsonObject
            {
                ["name"] = "v1",
                ["served"] = true,
                ["storage"] = true,
                ["subresources"] = new JsonObject { ["status"] = new JsonObject() },
                ["schema"] = new JsonObject
                {
                    ["openAPIV3Schema"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject
                        {
                            ["spec"] = new JsonObject
                            {
                                ["type"] = "object",
                                ["required"] = new JsonArray("size"),
                                ["oneOf"] = new JsonArray(new JsonObject { ["required"] = new JsonArray("color") }, new JsonObject { ["required"] = new JsonArray("pattern") }),
                                ["properties"] = new JsonObject
                                {
                                    ["size"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1 },
                                    ["color"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("red", "blue") },
                                    ["pattern"] = new JsonObject { ["type"] = "string", ["pattern"] = "^[a-z]+$" },
                                    ["port"] = new JsonObject { ["x-kubernetes-int-or-string"] = true },
                                    ["labels"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string" } },
                                },
                            },
                            ["status"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["phase"] = new JsonObject { ["type"] = "string" } } },
                        },
                    },
                },
            }),
        },
    };

    private static JsonObject Widget(JsonObject spec) => new()
    {
        ["apiVersion"] = "example.com/v1",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = "w1", ["namespace"] = "default" },
        ["spec"] = spec,
    };

    [Fact]
    public async Task Create_Crd_ServesTheKindAndMarksItEstablished()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sim = await SimulatorClient.StartAsync();

        var created = await sim.Http.PostAsJsonAsync("apis/apiextensions.k8s.io/v1/customresourcedefinitions", Crd(), ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var stored = sim.Simulator.Get("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, "widgets.example.com")!;
        var conditions = stored["status"]!["conditions"]!.AsArray();
        Assert.Contains(conditions, c => c!["type"]!.GetValue<string>() == "Established" && c["status"]!.GetValue<string>() == "True");
        var resources = await sim.Client.CustomObjects.ListNamespacedCustomObjectAsync("example.com", "v1", "default", "widgets", cancellationToken: ct);
        Assert.NotNull(resources);
        var discovery = JsonNode.Parse(await sim.Http.GetStringAsync("apis/example.com/v1", ct))!;
        var widget = Assert.Single(discovery["resources"]!.AsArray(), r => r!["name"]!.GetValue<string>() == "widgets")!;
        Assert.Equal("Widget", widget["kind"]!.GetValue<string>());
        Assert.Contains(discovery["resources"]!.AsArray(), r => r!["name"]!.GetValue<string>() == "widgets/status");
    }

    [Fact]
    public async Task Create_CustomResource_IsValidatedAgainstTheSchema()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sim = await SimulatorClient.StartAsync();
        sim.Simulator.Apply(Crd());

        var valid = await sim.Http.PostAsJsonAsync("apis/example.com/v1/namespaces/default/widgets", Widget(new JsonObject { ["size"] = 2, ["color"] = "red", ["port"] = "http", ["labels"] = new JsonObject { ["a"] = "b" } }), ct);
        var badEnum = await sim.Http.PostAsJsonAsync("apis/example.com/v1/namespaces/default/widgets", Widget(new JsonObject { ["size"] = 2, ["color"] = "green" }), ct);
        var bothShapes = await sim.Http.PostAsJsonAsync("apis/example.com/v1/namespaces/default/widgets", Widget(new JsonObject { ["size"] = 2, ["color"] = "red", ["pattern"] = "dots" }), ct);
        var tooSmall = await sim.Http.PostAsJsonAsync("apis/example.com/v1/namespaces/default/widgets", Widget(new JsonObject { ["size"] = 0, ["color"] = "red" }), ct);
        var wrongType = await sim.Http.PostAsJsonAsync("apis/example.com/v1/namespaces/default/widgets", Widget(new JsonObject { ["size"] = "big", ["color"] = "red" }), ct);

        Assert.Equal(HttpStatusCode.Created, valid.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badEnum.StatusCode);
        Assert.Contains("spec.color: Unsupported value: \\\"green\\\": supported values: \\\"red\\\", \\\"blue\\\"", await badEnum.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Contains("must validate one and only one schema (oneOf)", await bothShapes.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Contains("spec.size in body should be greater than or equal to 1", await tooSmall.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Contains("spec.size in body must be of type integer", await wrongType.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_UnknownField_IsRefusedWhenStrictAndPrunedOtherwise()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sim = await SimulatorClient.StartAsync();
        sim.Simulator.Apply(Crd());
        var body = Widget(new JsonObject { ["size"] = 2, ["color"] = "red", ["colour"] = "blue" });

        var strict = await sim.Http.PostAsJsonAsync("apis/example.com/v1/namespaces/default/widgets?fieldValidation=Strict", body, ct);
        var lax = await sim.Http.PostAsJsonAsync("apis/example.com/v1/namespaces/default/widgets", body, ct);

        Assert.Equal(HttpStatusCode.BadRequest, strict.StatusCode);
        Assert.Contains("strict decoding error: unknown field \\\"spec.colour\\\"", await strict.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, lax.StatusCode);
        Assert.Null(sim.Simulator.Get("example.com/v1", "Widget", "default", "w1")!["spec"]!["colour"]);
    }

    [Fact]
    public async Task StatusSubresource_OfACustomResource_SeparatesSpecAndStatusWrites()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sim = await SimulatorClient.StartAsync();
        sim.Simulator.Apply(Crd());
        var created = Widget(new JsonObject { ["size"] = 2, ["color"] = "red" });
        created["status"] = new JsonObject { ["phase"] = "Forged" };
        await sim.Client.CustomObjects.CreateNamespacedCustomObjectAsync(created, "example.com", "v1", "default", "widgets", cancellationToken: ct);
        Assert.Null(sim.Simulator.Get("example.com/v1", "Widget", "default", "w1")!["status"]);

        await sim.Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(new JsonObject { ["status"] = new JsonObject { ["phase"] = "Ready" } }, V1Patch.PatchType.MergePatch), "example.com", "v1", "default", "widgets", "w1", cancellationToken: ct);
        await sim.Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(new JsonObject { ["spec"] = new JsonObject { ["size"] = 3 }, ["status"] = new JsonObject { ["phase"] = "Ignored" } }, V1Patch.PatchType.MergePatch), "example.com", "v1", "default", "widgets", "w1", cancellationToken: ct);

        var stored = sim.Simulator.Get("example.com/v1", "Widget", "default", "w1")!;
        Assert.Equal("Ready", stored["status"]!["phase"]!.GetValue<string>());
        Assert.Equal(3, stored["spec"]!["size"]!.GetValue<int>());
        Assert.Equal(2, stored["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task Delete_Crd_DeletesItsResourcesAndStopsServingIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sim = await SimulatorClient.StartAsync();
        sim.Simulator.Apply(Crd());
        sim.Simulator.Apply(Widget(new JsonObject { ["size"] = 1, ["color"] = "blue" }));

        var deleted = await sim.Http.DeleteAsync("apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com", ct);
        var list = await sim.Http.GetAsync("apis/example.com/v1/namespaces/default/widgets", ct);

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        Assert.DoesNotContain(sim.Simulator.Resources.All, t => t.Kind == "Widget");

        // Created again, the kind is served again and empty.
        sim.Simulator.Apply(Crd());
        Assert.Empty(sim.Simulator.List("example.com/v1", "Widget"));
    }

    [Fact]
    public async Task Create_InvalidCrd_IsRefusedWithTheApiserversReasons()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sim = await SimulatorClient.StartAsync();
        var misnamed = Crd(scope: "Global", name: "gadgets.example.com");

        var response = await sim.Http.PostAsJsonAsync("apis/apiextensions.k8s.io/v1/customresourcedefinitions", misnamed, ct);
        var text = await response.Content.ReadAsStringAsync(ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("metadata.name: Invalid value: \\\"gadgets.example.com\\\": must be spec.names.plural+\\\".\\\"+spec.group", text, StringComparison.Ordinal);
        Assert.Contains("spec.scope: Unsupported value: \\\"Global\\\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain(sim.Simulator.Resources.All, t => t.Kind == "Widget");
    }

    [Fact]
    public async Task Rbac_ClusterRoleAndBinding_AreServed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sim = await SimulatorClient.StartAsync();

        await sim.Client.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole { Metadata = new V1ObjectMeta { Name = "reader" }, Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["pods"], Verbs = ["get"] }] }, cancellationToken: ct);
        await sim.Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding { Metadata = new V1ObjectMeta { Name = "readers" }, RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "reader" }, Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "x", NamespaceProperty = "shop" }] }, "shop", cancellationToken: ct);

        var roles = await sim.Client.RbacAuthorizationV1.ListClusterRoleAsync(cancellationToken: ct);
        Assert.Equal("reader", Assert.Single(roles.Items).Metadata.Name);
        Assert.NotNull(sim.Simulator.Get("rbac.authorization.k8s.io/v1", "RoleBinding", "shop", "readers"));
    }

    [Fact]
    public async Task Register_StrimziKafkaTopic_IsServedWithItsShortName()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sim = await SimulatorClient.StartAsync();
        sim.Simulator.Resources.RegisterCustomResource(KnownCustomResources.StrimziKafkaTopic);

        var response = await sim.Http.PostAsync("apis/kafka.strimzi.io/v1beta2/namespaces/kafka/kafkatopics", new StringContent("""{"apiVersion":"kafka.strimzi.io/v1beta2","kind":"KafkaTopic","metadata":{"name":"chasi.logs.v1"},"spec":{"partitions":12}}""", Encoding.UTF8, "application/json"), ct);
        var discovery = await sim.Http.GetStringAsync("apis/kafka.strimzi.io/v1beta2", ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Contains("\"kt\"", discovery, StringComparison.Ordinal);
    }
}
