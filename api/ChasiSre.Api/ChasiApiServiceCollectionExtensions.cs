using ChasiSre.Diagnosis.Knowledge;
using ChasiSre.Platform.ClickHouse;
using ChasiSre.Platform.Kafka;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Api;

/// <summary>Registers the HTTP API.</summary>
public static class ChasiApiServiceCollectionExtensions
{
    /// <summary>The authorization policy of <c>/api/v1</c>: a valid token of the <see cref="ApiClaims.Scheme"/> scheme.</summary>
    public const string AuthorizationPolicy = "chasi-api";

    /// <summary>
    /// Registers everything <c>app.MapChasiApi()</c> serves: <see cref="ApiOptions"/> (section <c>Api</c>, validated on
    /// start), the token authentication scheme (made the default scheme unless one is set) and its policy, the rate
    /// limiter policy, problem details, the OpenAPI document <c>v1</c>, and, unless the host registered them already,
    /// the ClickHouse store (section <c>ClickHouse</c>), the Kafka client factory (section <c>Kafka</c>) and the
    /// knowledge base (section <c>Diagnosis:Knowledge</c>). Idempotent.
    /// </summary>
    public static IServiceCollection AddChasiApi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(ApiReadStore)))
        {
            return services;
        }

        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        if (!services.Any(d => d.ServiceType == typeof(IClickHouseStore)))
        {
            services.AddClickHouseStore().Bind(configuration.GetSection(ClickHouseOptions.SectionName));
        }

        if (!services.Any(d => d.ServiceType == typeof(KafkaClientFactory)))
        {
            services.AddOptions<KafkaOptions>().Bind(configuration.GetSection(KafkaOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
            services.TryAddSingleton<KafkaClientFactory>();
        }

        if (!services.Any(d => d.ServiceType == typeof(KnowledgeBaseProvider)))
        {
            services.AddKnowledgeBase().Bind(configuration.GetSection(KnowledgeBaseOptions.SectionName));
        }

        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ApiReadStore>();
        services.TryAddSingleton<AlertPublisher>();
        services.TryAddSingleton<ActionStore>();
        services.TryAddSingleton<ActionRecordPublisher>();
        services.TryAddSingleton<ActionDecisionService>();
        services.TryAddSingleton<ApiErrorFilter>();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));

        services.AddAuthentication().AddScheme<ApiTokenAuthenticationOptions, ApiTokenAuthenticationHandler>(ApiClaims.Scheme, null);
        services.Configure<AuthenticationOptions>(o => o.DefaultScheme ??= ApiClaims.Scheme);
        services.AddAuthorizationBuilder().AddPolicy(AuthorizationPolicy, p => p.AddAuthenticationSchemes(ApiClaims.Scheme).RequireAuthenticatedUser());
        services.AddRateLimiter(o => o.AddPolicy<string, ApiRateLimitPolicy>(ApiRateLimitPolicy.Name));
        services.AddOpenApi(ApiOpenApi.DocumentName, ApiOpenApi.Configure);
        return services;
    }
}
