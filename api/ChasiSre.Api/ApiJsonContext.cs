using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChasiSre.Api;

/// <summary>Source-generated JSON of the API's responses (web defaults: camelCase).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(IncidentPage))]
[JsonSerializable(typeof(IncidentDetail))]
[JsonSerializable(typeof(DiagnosisView))]
[JsonSerializable(typeof(ProposalPage))]
[JsonSerializable(typeof(ActionPage))]
[JsonSerializable(typeof(ActionDetail))]
[JsonSerializable(typeof(ActionDecisionRequest))]
[JsonSerializable(typeof(ActionDecisionResponse))]
[JsonSerializable(typeof(ActionRequestView))]
[JsonSerializable(typeof(TokenView))]
[JsonSerializable(typeof(KnowledgeSearchResponse))]
[JsonSerializable(typeof(AlertIntakeResponse))]
[JsonSerializable(typeof(AlertmanagerWebhook))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
