using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ChasiSre.Platform.ClickHouse;

/// <summary>
/// One versioned migration: <c>Migrations/NNNN_name.sql</c>, embedded in this assembly. The SQL may hold
/// several statements and refers to the database as <c>${database}</c>.
/// </summary>
/// <param name="Version">The number before the underscore; migrations apply in ascending order.</param>
/// <param name="Name">The rest of the file name (without .sql).</param>
/// <param name="Sql">The script text with LF line endings, <c>${database}</c> not yet replaced.</param>
public sealed partial record SchemaMigration(int Version, string Name, string Sql)
{
    /// <summary>The placeholder replaced with the configured database name.</summary>
    public const string DatabasePlaceholder = "${database}";

    private const string ResourcePrefix = "ChasiSre.Platform.ClickHouse.Migrations.";

    /// <summary>SHA-256 of <see cref="Sql"/> (hex); recorded when applied, compared on every later run.</summary>
    public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));

    /// <summary>The migrations embedded in this assembly, in version order.</summary>
    public static IReadOnlyList<SchemaMigration> Embedded { get; } = LoadEmbedded();

    /// <summary>The statements of this migration for <paramref name="database"/>, ready to run one by one.</summary>
    public IReadOnlyList<string> StatementsFor(string database)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        return SqlScript.Split(Sql.Replace(DatabasePlaceholder, database, StringComparison.Ordinal));
    }

    /// <summary>Builds a migration from a resource or file name such as <c>0002_add_index.sql</c>.</summary>
    public static SchemaMigration FromFile(string fileName, string sql)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(sql);
        var match = FileNamePattern().Match(Path.GetFileName(fileName));
        if (!match.Success)
        {
            throw new ArgumentException($"Migration file '{fileName}' must be named NNNN_name.sql.", nameof(fileName));
        }

        return new SchemaMigration(
            int.Parse(match.Groups["version"].ValueSpan, CultureInfo.InvariantCulture),
            match.Groups["name"].Value,
            SqlScript.NormalizeLineEndings(sql));
    }

    private static List<SchemaMigration> LoadEmbedded()
    {
        var assembly = typeof(SchemaMigration).Assembly;
        var migrations = new List<SchemaMigration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Embedded migration {resource} cannot be read.");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            migrations.Add(FromFile(resource[ResourcePrefix.Length..], reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two embedded migrations share version {duplicate.Key}: {string.Join(", ", duplicate.Select(m => m.Name))}.");
        }

        return migrations;
    }

    [GeneratedRegex(@"^(?<version>\d{4})_(?<name>[A-Za-z0-9_\-]+)\.sql$")]
    private static partial Regex FileNamePattern();
}
