using System.Text.Json;
using System.Text.Json.Serialization;
using ChasiSre.Api;

namespace ChasiSre.Cli.Actions;

/// <summary>Source-generated JSON of <c>chasi actions</c>' requests (web defaults, as the API reads them).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ActionDecisionRequest))]
internal sealed partial class ActionsJsonContext : JsonSerializerContext;
