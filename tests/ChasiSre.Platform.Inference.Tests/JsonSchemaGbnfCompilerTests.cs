using System.Text.Json;

namespace ChasiSre.Platform.Inference.Tests;

public sealed class JsonSchemaGbnfCompilerTests(TinyModelFixture model)
{
    private const string Char = """char ::= [^"\\\x7F\x00-\x1F] | "\\" (["\\/bfnrt] | "u" ([0-9a-cA-CeEfF] [0-9a-fA-F]{3} | [dD] [0-7] [0-9a-fA-F]{2}))""";

    public static TheoryData<string, string, string> Grammars => new()
    {
        { "string without bounds gets the default", """{"type":"string"}""", """
            root ::= "\"" char{0,256} "\""
            """ + "\n" + Char },
        { "string bounds", """{"type":"string","minLength":2,"maxLength":5}""", """
            root ::= "\"" char{2,5} "\""
            """ + "\n" + Char },
        { "empty string only", """{"type":"string","maxLength":0}""", """
            root ::= "\"\""
            """ },
        { "string enum", """{"type":"string","enum":["low","high"]}""", """
            root ::= ("\"low\"" | "\"high\"")
            """ },
        { "const with escapes", """{"const":"a\"b"}""", """
            root ::= "\"a\\\"b\""
            """ },
        { "mixed enum", """{"enum":[1,"x",true,null]}""", """
            root ::= ("1" | "\"x\"" | "true" | "null")
            """ },
        { "integer", """{"type":"integer"}""", """
            root ::= "-"? ("0" | [1-9] [0-9]{0,14})
            """ },
        { "non-negative integer", """{"type":"integer","minimum":0}""", """
            root ::= ("0" | [1-9] [0-9]{0,14})
            """ },
        { "positive integer", """{"type":"integer","exclusiveMinimum":0}""", """
            root ::= [1-9] [0-9]{0,14}
            """ },
        { "small integer range is listed", """{"type":"integer","minimum":1,"maximum":3}""", """
            root ::= ("1" | "2" | "3")
            """ },
        { "number", """{"type":"number"}""", """
            root ::= "-"? ("0" | [1-9] [0-9]{0,14}) ("." [0-9]{1,6})?
            """ },
        { "number in [0, 1]", """{"type":"number","minimum":0,"maximum":1}""", """
            root ::= ("0" ("." [0-9]{1,6})? | "1" ("." "0"{1,6})?)
            """ },
        { "boolean", """{"type":"boolean"}""", """
            root ::= ("true" | "false")
            """ },
        { "nullable string", """{"type":["string","null"],"maxLength":3}""", """
            root ::= ("\"" char{0,3} "\"" | "null")
            """ + "\n" + Char },
        { "array up to 3", """{"type":"array","items":{"type":"boolean"},"maxItems":3}""", """
            root ::= "[" (root-item ("," root-item){0,2})? "]"
            root-item ::= ("true" | "false")
            """ },
        { "array of exactly 1", """{"type":"array","items":{"type":"boolean"},"minItems":1,"maxItems":1}""", """
            root ::= "[" root-item "]"
            root-item ::= ("true" | "false")
            """ },
        { "required properties in order", """{"type":"object","properties":{"a":{"type":"boolean"},"b":{"type":"boolean"}},"required":["a","b"]}""", """
            root ::= "{" "\"a\":" root-a "," "\"b\":" root-b "}"
            root-a ::= ("true" | "false")
            root-b ::= ("true" | "false")
            """ },
        { "optional before required", """{"type":"object","properties":{"a":{"type":"boolean"},"b":{"type":"boolean"}},"required":["b"]}""", """
            root ::= "{" ("\"a\":" root-a "," "\"b\":" root-b | "\"b\":" root-b) "}"
            root-a ::= ("true" | "false")
            root-b ::= ("true" | "false")
            """ },
        { "all optional", """{"type":"object","properties":{"a":{"type":"boolean"},"b":{"type":"boolean"}}}""", """
            root ::= "{" ("\"a\":" root-a ("," "\"b\":" root-b)? | "\"b\":" root-b)? "}"
            root-a ::= ("true" | "false")
            root-b ::= ("true" | "false")
            """ },
        { "object without properties", """{"type":"object","additionalProperties":false}""", """
            root ::= "{}"
            """ },
        { "nested object", """{"type":"object","properties":{"inner":{"type":"object","properties":{"x":{"type":"null"}},"required":["x"]}},"required":["inner"]}""", """
            root ::= "{" "\"inner\":" root-inner "}"
            root-inner ::= "{" "\"x\":" root-inner-x "}"
            root-inner-x ::= "null"
            """ },
        { "shared $ref", """{"$defs":{"flag":{"type":"boolean"}},"type":"object","properties":{"p":{"$ref":"#/$defs/flag"},"q":{"$ref":"#/$defs/flag"}},"required":["p","q"]}""", """
            root ::= "{" "\"p\":" root-p "," "\"q\":" root-q "}"
            root-p ::= def-flag
            def-flag ::= ("true" | "false")
            root-q ::= def-flag
            """ },
        { "anyOf", """{"anyOf":[{"type":"boolean"},{"type":"null"}]}""", """
            root ::= (root-0 | root-1)
            root-0 ::= ("true" | "false")
            root-1 ::= "null"
            """ },
        { "property names are sanitized for rules, kept for keys", """{"type":"object","properties":{"my key!":{"type":"boolean"}},"required":["my key!"],"description":"ignored","title":"ignored"}""", """
            root ::= "{" "\"my key!\":" root-my-key "}"
            root-my-key ::= ("true" | "false")
            """ },
    };

    public static TheoryData<string, string, string> InvalidSchemas => new()
    {
        { "{", "#", "not valid JSON" },
        { "true", "#", "boolean schemas" },
        { "[]", "#", "must be a JSON object" },
        { """{"type":"strin"}""", "#/type", "unknown type 'strin'" },
        { """{"description":"no type"}""", "#", "has no 'type'" },
        { """{"type":"string","pattern":"a+"}""", "#", "keyword 'pattern' is not supported" },
        { """{"type":"object","properties":{"a":{"type":"string"}},"required":["b"]}""", "#/required", "required property 'b' is not declared" },
        { """{"enum":[]}""", "#/enum", "non-empty array" },
        { """{"enum":[{"a":1}]}""", "#/enum/0", "must be strings, numbers, booleans or null" },
        { """{"type":"string","minLength":5,"maxLength":2}""", "#", "maxLength (2) is less than minLength (5)" },
        { """{"type":"string","maxLength":-1}""", "#/maxLength", "non-negative integer" },
        { """{"type":"array"}""", "#", "needs 'items'" },
        { """{"type":"array","items":{"type":"string"},"uniqueItems":true}""", "#/uniqueItems", "uniqueItems" },
        { """{"type":"integer","minimum":5,"maximum":2}""", "#", "no integer lies between" },
        { """{"$defs":{"n":{"type":"object","properties":{"next":{"$ref":"#/$defs/n"}}}},"$ref":"#/$defs/n"}""", "#/$defs/n/properties/next/$ref", "recursive '$ref'" },
        { """{"$ref":"#/$defs/missing"}""", "#/$ref", "does not exist" },
        { """{"allOf":[{"type":"string"},{"maxLength":2}]}""", "#/allOf", "exactly one schema" },
        { """{"type":"object","properties":{"when":{"type":"string","format":"date-time","pattern":"x"}}}""", "#/properties/when", "keyword 'pattern'" },
    };

    [Theory]
    [MemberData(nameof(Grammars))]
    public void Compile_SupportedSchema_ProducesExpectedGrammar(string because, string schema, string expected)
    {
        var grammar = JsonSchemaGbnfCompiler.Compile(schema);

        Assert.True(expected.ReplaceLineEndings("\n") + "\n" == grammar.Text, $"{because}:\n{grammar.Text}");
        Assert.Equal("root", grammar.Root);
    }

    [Theory]
    [MemberData(nameof(Grammars))]
    public void Compile_SupportedSchema_GrammarIsAcceptedByLlamaCpp(string because, string schema, string expected)
    {
        _ = because;
        _ = expected;
        var grammar = JsonSchemaGbnfCompiler.Compile(schema);

        // Throws if llama.cpp's parser rejects the grammar.
        model.Llm.ValidateGrammar(grammar);
    }

    [Theory]
    [MemberData(nameof(InvalidSchemas))]
    public void Compile_InvalidSchema_ThrowsWithPathAndReason(string schema, string path, string reason)
    {
        var ex = Assert.Throws<InvalidJsonSchemaException>(() => JsonSchemaGbnfCompiler.Compile(schema));

        Assert.Equal(path, ex.SchemaPath);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_JsonElement_SameAsText()
    {
        using var document = JsonDocument.Parse(TestSchemas.IncidentSummary);

        Assert.Equal(JsonSchemaGbnfCompiler.Compile(TestSchemas.IncidentSummary), JsonSchemaGbnfCompiler.Compile(document.RootElement));
    }

    [Fact]
    public void Compile_CustomDefaults_BoundOpenSizes()
    {
        var options = new JsonSchemaGbnfOptions { DefaultMaxStringLength = 7, DefaultMaxItems = 2 };

        var grammar = JsonSchemaGbnfCompiler.Compile("""{"type":"array","items":{"type":"string"}}""", options);

        Assert.Contains("root ::= \"[\" (root-item (\",\" root-item)?)? \"]\"", grammar.Text, StringComparison.Ordinal);
        Assert.Contains("root-item ::= \"\\\"\" char{0,7} \"\\\"\"", grammar.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_NonPositiveOption_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => JsonSchemaGbnfCompiler.Compile("""{"type":"string"}""", new JsonSchemaGbnfOptions { DefaultMaxStringLength = 0 }));
    }
}
