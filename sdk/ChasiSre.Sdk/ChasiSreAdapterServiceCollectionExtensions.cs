using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChasiSre.Sdk;

/// <summary>Registers a business adapter (pull mode) and the push publisher. Idempotent; options are validated on start.</summary>
public static class ChasiSreAdapterServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TAdapter"/> as the <see cref="IBusinessAdapter"/> and the gRPC
    /// and HTTP/JSON endpoints that serve it; map them with
    /// <see cref="ChasiSreAdapterEndpointRouteBuilderExtensions.MapChasiSreAdapter"/>.
    /// </summary>
    public static OptionsBuilder<AdapterOptions> AddChasiSreAdapter<TAdapter>(this IServiceCollection services, Action<AdapterOptions>? configure = null)
        where TAdapter : class, IBusinessAdapter
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IBusinessAdapter, TAdapter>();
        return AddAdapterCore(services, configure);
    }

    /// <summary>Registers an adapter instance (see <see cref="AddChasiSreAdapter{TAdapter}(IServiceCollection, Action{AdapterOptions}?)"/>).</summary>
    public static OptionsBuilder<AdapterOptions> AddChasiSreAdapter(this IServiceCollection services, IBusinessAdapter adapter, Action<AdapterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(adapter);
        services.TryAddSingleton(adapter);
        return AddAdapterCore(services, configure);
    }

    /// <summary>As <see cref="AddChasiSreAdapter{TAdapter}(IServiceCollection, Action{AdapterOptions}?)"/>, binding <see cref="AdapterOptions.SectionName"/>.</summary>
    public static OptionsBuilder<AdapterOptions> AddChasiSreAdapter<TAdapter>(this IHostApplicationBuilder builder)
        where TAdapter : class, IBusinessAdapter
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Services.AddChasiSreAdapter<TAdapter>().BindConfiguration(AdapterOptions.SectionName);
    }

    /// <summary>
    /// Registers <see cref="BusinessPublisher"/> (push mode), started and drained with the host.
    /// Needs <see cref="AdapterOptions.Name"/> and <see cref="AdapterOptions.Tenant"/>.
    /// </summary>
    public static OptionsBuilder<PublisherOptions> AddChasiSrePublisher(this IServiceCollection services, Action<PublisherOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PublisherOptions>, PublisherOptionsValidator>());
        services.TryAddSingleton<BusinessPublisher>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PublisherLifetime>());
        var options = services.AddOptions<PublisherOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return options;
    }

    /// <summary>As <see cref="AddChasiSrePublisher(IServiceCollection, Action{PublisherOptions}?)"/>, binding <see cref="PublisherOptions.SectionName"/> and <see cref="AdapterOptions.SectionName"/>.</summary>
    public static OptionsBuilder<PublisherOptions> AddChasiSrePublisher(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<AdapterOptions>().BindConfiguration(AdapterOptions.SectionName);
        return builder.Services.AddChasiSrePublisher().BindConfiguration(PublisherOptions.SectionName);
    }

    private static OptionsBuilder<AdapterOptions> AddAdapterCore(IServiceCollection services, Action<AdapterOptions>? configure)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AdapterOptions>, AdapterOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AdapterOptions>, AdapterTokenRule>());
        services.TryAddSingleton<BearerTokenCheck>();
        services.TryAddSingleton<AdapterDispatcher>();
        services.AddGrpc().AddServiceOptions<BusinessAdapterGrpcService>(_ => { });
        services.AddOptions<Grpc.AspNetCore.Server.GrpcServiceOptions<BusinessAdapterGrpcService>>()
            .Configure<IOptions<AdapterOptions>>((grpc, adapter) =>
            {
                grpc.MaxReceiveMessageSize = adapter.Value.MaxRequestBytes;
                grpc.MaxSendMessageSize = adapter.Value.MaxResponseBytes;
            });
        var options = services.AddOptions<AdapterOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return options;
    }
}
