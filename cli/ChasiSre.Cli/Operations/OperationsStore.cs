using System.Text.RegularExpressions;
using ChasiSre.Platform.ClickHouse;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Cli.Operations;

/// <summary>
/// The ClickHouse the operations commands read: an embedded chDB data directory given by <c>--store</c> (what
/// <c>chasi scenario run --store</c> or an embedded <c>chasi run</c> wrote), else the <c>ClickHouse__*</c> environment
/// (Backend, EmbeddedDataPath, ServerConnectionString, Database), as <c>chasi diagnose</c> does.
/// </summary>
internal sealed partial class OperationsStore : IAsyncDisposable
{
    private readonly ServiceProvider provider;

    private OperationsStore(ServiceProvider provider, IClickHouseStore store, ClickHouseOptions options)
    {
        this.provider = provider;
        Store = store;
        Options = options;
    }

    public IClickHouseStore Store { get; }

    public ClickHouseOptions Options { get; }

    /// <summary>The database, checked to be a plain identifier (it is written into statements).</summary>
    public string Database => Options.Database;

    /// <summary>Where the data is, for messages.</summary>
    public string Description => Options.Backend == ClickHouseBackend.Embedded
        ? $"ClickHouse database {Database} in {Options.EmbeddedDataPath}"
        : $"ClickHouse database {Database} on the configured server";

    /// <exception cref="OptionsValidationException">The ClickHouse configuration is invalid.</exception>
    public static OperationsStore Open(string? storePath, ILoggerFactory loggerFactory)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(loggerFactory);
        services.AddLogging();
        services.AddClickHouseStore(o =>
        {
            if (storePath is not null)
            {
                o.Backend = ClickHouseBackend.Embedded;
                o.EmbeddedDataPath = Path.GetFullPath(storePath);
            }
        }).BindConfiguration(ClickHouseOptions.SectionName);
        var provider = services.BuildServiceProvider();
        try
        {
            var options = provider.GetRequiredService<IOptions<ClickHouseOptions>>().Value;
            if (!Identifier().IsMatch(options.Database))
            {
                throw new OptionsValidationException(ClickHouseOptions.SectionName, typeof(ClickHouseOptions), [$"ClickHouse database '{options.Database}' is not a plain identifier"]);
            }

            return new OperationsStore(provider, provider.GetRequiredService<IClickHouseStore>(), options);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    /// <summary>The migrator of this store (applies the migrations not yet applied, replay's tables among them).</summary>
    public ClickHouseSchemaMigrator Migrator => provider.GetRequiredService<ClickHouseSchemaMigrator>();

    /// <summary>Which of <paramref name="tables"/> exist in the database.</summary>
    public async Task<IReadOnlySet<string>> ExistingTablesAsync(IEnumerable<string> tables, CancellationToken cancellationToken = default)
    {
        var list = string.Join(", ", tables.Select(ClickHouseLiteral.Of));
        var rows = await Store.QueryAsync($"SELECT name FROM system.tables WHERE database = {ClickHouseLiteral.Of(Database)} AND name IN ({list})", cancellationToken);
        return rows.Select(r => r.Get<string>("name")).ToHashSet(StringComparer.Ordinal);
    }

    public ValueTask DisposeAsync() => provider.DisposeAsync();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();
}
