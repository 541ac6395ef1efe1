using System.Text.Json.Serialization;

namespace ChasiSre.Api;

/// <summary>Strict reading of Alertmanager's JSON: exact member names, no comments, no trailing commas.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = false, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow, AllowTrailingCommas = false, MaxDepth = 16)]
[JsonSerializable(typeof(AlertmanagerWebhook))]
internal sealed partial class AlertmanagerJsonContext : JsonSerializerContext;
