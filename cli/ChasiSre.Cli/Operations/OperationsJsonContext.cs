using System.Text.Json;
using System.Text.Json.Serialization;
using ChasiSre.Api;

namespace ChasiSre.Cli.Operations;

/// <summary>Source-generated JSON of <c>chasi incidents</c> and <c>chasi replay</c>: web defaults (camelCase), as the HTTP API writes incidents.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(IncidentList))]
[JsonSerializable(typeof(IncidentDetail))]
[JsonSerializable(typeof(ReplayReport))]
internal sealed partial class OperationsJsonContext : JsonSerializerContext;
