using System.Text.Json.Nodes;

namespace ChasiSre.Ingest.Simulator.Tests;

/// <summary>The patch algorithms on their own: the strategic merge directives kubectl sends, and RFC 6902 edge cases.</summary>
public sealed class PatchTests
{
    [Theory]
    [InlineData("set element order", """{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}""", """{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}],"containers":[{"name":"b","image":"x"}]}}""", """{"spec":{"containers":[{"name":"b","image":"x"},{"name":"a"}]}}""")]
    [InlineData("finalizers merge as a set", """{"metadata":{"finalizers":["a"]}}""", """{"metadata":{"finalizers":["b","a"]}}""", """{"metadata":{"finalizers":["a","b"]}}""")]
    [InlineData("delete from primitive list", """{"metadata":{"finalizers":["a","b"]}}""", """{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}}""", """{"metadata":{"finalizers":["b"]}}""")]
    [InlineData("retain keys", """{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}""", """{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}""", """{"spec":{"strategy":{"type":"Recreate"}}}""")]
    [InlineData("replace a map", """{"data":{"a":"1","b":"2"}}""", """{"data":{"$patch":"replace","c":"3"}}""", """{"data":{"c":"3"}}""")]
    [InlineData("container ports by containerPort", """{"ports":[{"containerPort":80,"name":"http"}]}""", """{"ports":[{"containerPort":80,"protocol":"TCP"},{"containerPort":9090}]}""", """{"ports":[{"containerPort":80,"name":"http","protocol":"TCP"},{"containerPort":9090}]}""")]
    [InlineData("lists without a merge key are replaced", """{"spec":{"tolerations":[{"key":"a"}],"args":["x"]}}""", """{"spec":{"tolerations":[{"key":"b"}],"args":["y"]}}""", """{"spec":{"tolerations":[{"key":"b"}],"args":["y"]}}""")]
    [InlineData("null deletes", """{"metadata":{"labels":{"a":"1","b":"2"}}}""", """{"metadata":{"labels":{"a":null}}}""", """{"metadata":{"labels":{"b":"2"}}}""")]
    public void StrategicMergePatch_Directive_GivesApiServerResult(string why, string original, string patch, string expected)
    {
        var result = StrategicMergePatch.Apply(JsonNode.Parse(original), JsonNode.Parse(patch));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), result), $"{why}: {result?.ToJsonString()}");
    }

    [Fact]
    public void StrategicMergePatch_ElementWithoutMergeKey_Throws()
    {
        var ex = Assert.Throws<PatchException>(() => StrategicMergePatch.Apply(JsonNode.Parse("""{"containers":[{"name":"a"}]}"""), JsonNode.Parse("""{"containers":[{"image":"x"}]}""")));

        Assert.Contains("does not contain declared merge key: name", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[{"op":"add","path":"/a/-","value":3}]""", """{"a":[1,2,3]}""")]
    [InlineData("""[{"op":"add","path":"/a/0","value":0}]""", """{"a":[0,1,2]}""")]
    [InlineData("""[{"op":"remove","path":"/a/1"}]""", """{"a":[1]}""")]
    [InlineData("""[{"op":"copy","from":"/a","path":"/b"}]""", """{"a":[1,2],"b":[1,2]}""")]
    [InlineData("""[{"op":"add","path":"/m~1n","value":"slash"}]""", """{"a":[1,2],"m/n":"slash"}""")]
    public void JsonPatch_Operation_AppliesInOrder(string patch, string expected)
    {
        var result = JsonPatch.Apply(JsonNode.Parse("""{"a":[1,2]}"""), JsonNode.Parse(patch));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), result), result?.ToJsonString());
    }

    [Theory]
    [InlineData("""[{"op":"remove","path":"/missing"}]""", 422)]
    [InlineData("""[{"op":"replace","path":"/a/5","value":1}]""", 422)]
    [InlineData("""{"op":"add"}""", 400)]
    [InlineData("""[{"op":"frobnicate","path":"/a"}]""", 400)]
    public void JsonPatch_InvalidOperation_ThrowsWithApiServerCode(string patch, int code)
    {
        var ex = Assert.Throws<PatchException>(() => JsonPatch.Apply(JsonNode.Parse("""{"a":[1,2]}"""), JsonNode.Parse(patch)));

        Assert.Equal(code, ex.Code);
    }
}
