namespace ChasiSre.Platform.Inference.Tests;

/// <summary>Schemas shared by the generation tests.</summary>
internal static class TestSchemas
{
    /// <summary>The incident summary of the acceptance criteria.</summary>
    public const string IncidentSummary = """
        {
          "type": "object",
          "properties": {
            "summary": { "type": "string", "maxLength": 40 },
            "severity": { "type": "string", "enum": ["low", "high"] },
            "confidence": { "type": "number" },
            "tags": { "type": "array", "items": { "type": "string", "maxLength": 16 }, "maxItems": 3 }
          },
          "required": ["summary", "severity", "confidence", "tags"]
        }
        """;

    /// <summary>Nested objects, arrays of objects, integer ranges, booleans, optional and nullable properties, $ref.</summary>
    public const string Diagnosis = """
        {
          "$defs": {
            "action": {
              "type": "object",
              "properties": {
                "kind": { "enum": ["restart", "scale", "rollback"] },
                "replicas": { "type": "integer", "minimum": 0, "maximum": 10 },
                "dryRun": { "type": "boolean" }
              },
              "required": ["kind", "dryRun"]
            }
          },
          "type": "object",
          "properties": {
            "rootCause": { "type": "string", "maxLength": 24 },
            "probability": { "type": "number", "minimum": 0, "maximum": 1 },
            "evidence": {
              "type": "object",
              "properties": {
                "pod": { "type": "string", "maxLength": 12 },
                "restarts": { "type": "integer", "minimum": 0 }
              },
              "required": ["pod", "restarts"]
            },
            "actions": { "type": "array", "items": { "$ref": "#/$defs/action" }, "minItems": 1, "maxItems": 2 },
            "owner": { "type": ["string", "null"], "maxLength": 8 },
            "note": { "type": "string", "maxLength": 10 }
          },
          "required": ["rootCause", "probability", "evidence", "actions", "owner"]
        }
        """;
}
