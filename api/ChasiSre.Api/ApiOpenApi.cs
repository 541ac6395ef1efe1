using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ChasiSre.Api;

/// <summary>The OpenAPI document <c>v1</c> (served at <c>/openapi/v1.json</c>): the <c>/api/v1</c> endpoints and their bearer scheme.</summary>
internal static class ApiOpenApi
{
    public const string DocumentName = "v1";
    private const string SchemeId = "bearer";

    public static void Configure(OpenApiOptions options)
    {
        options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true;
        options.AddOperationTransformer(async (operation, context, cancellationToken) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<OpenApiRequestBodyMetadata>().FirstOrDefault() is { } body)
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = body.Required,
                    Description = body.Description,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(body.Type, null, cancellationToken) },
                    },
                };
            }
        });
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "ChasiSre API",
                Version = "v1",
                Description = "Incidents, diagnoses, knowledge search, action proposals, the executor's audited actions and people's decisions on them, and the Alertmanager webhook. " +
                    "Every /api/v1 call needs 'Authorization: Bearer <token>'; deciding on actions needs a token with the role 'approver'; errors are RFC 9457 problem details.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SchemeId] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API token; the API stores only its SHA-256 (Api:Tokens).",
            };
            foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()))
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, document)] = [] });
            }

            return Task.CompletedTask;
        });
    }
}
