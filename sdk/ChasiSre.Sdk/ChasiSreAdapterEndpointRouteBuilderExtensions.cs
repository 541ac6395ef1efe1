using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace ChasiSre.Sdk;

/// <summary>Maps the adapter's pull endpoints.</summary>
public static class ChasiSreAdapterEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the gRPC service <c>chasi.v1.BusinessAdapter</c> and the HTTP/JSON endpoints under
    /// <c>/chasi/v1/</c> (<c>status</c>, <c>logs</c>, <c>events</c>, <c>configuration</c>,
    /// <c>runbooks</c>, <c>runbooks/execute</c>; all POST).
    /// </summary>
    public static IEndpointRouteBuilder MapChasiSreAdapter(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGrpcService<BusinessAdapterGrpcService>();
        AdapterHttpEndpoints.Map(endpoints);
        return endpoints;
    }
}
