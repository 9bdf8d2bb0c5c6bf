using System.Data.Common;
using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Fangyi.Core.Storage;

/// <summary>
/// The database behind one Fangyi host: an embedded SQLite file (the default) or a PostgreSQL server.
/// Hands out open connections and applies the numbered migrations at start.
/// </summary>
public sealed class Store : IAsyncDisposable
{
    private readonly string _sqliteConnectionString = "";
    private readonly NpgsqlDataSource? _postgres;

    private Store(Dialect dialect, string sqliteConnectionString, NpgsqlDataSource? postgres, string description)
    {
        Dialect = dialect;
        _sqliteConnectionString = sqliteConnectionString;
        _postgres = postgres;
        Description = description;
    }

    public Dialect Dialect { get; }

    /// <summary>What the store is, without secrets, for the start-up banner.</summary>
    public string Description { get; }

    /// <summary>
    /// A store from its spec: a PostgreSQL connection string ("Host=...;Database=...") or a SQLite file path.
    /// </summary>
    public static Store FromSpec(string spec)
    {
        if (LooksLikePostgres(spec))
        {
            var builder = new NpgsqlConnectionStringBuilder(spec);
            builder.MaxPoolSize = Math.Max(builder.MaxPoolSize, 64);
            var dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
            return new Store(Dialect.Postgres, "", dataSource,
                $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}{(string.IsNullOrEmpty(builder.SearchPath) ? "" : " schema " + builder.SearchPath)}");
        }

        var path = Path.GetFullPath(spec);
        // The file holds a city's people: owner-only folder and file from the first byte (and -wal/-shm after it).
        Identity.SecretFile.PrivateFolder(Path.GetDirectoryName(path)!, tighten: false);
        Identity.SecretFile.PrivateFile(path);
        foreach (var companion in new[] { path + "-wal", path + "-shm", path + "-journal" })
        {
            if (File.Exists(companion))
            {
                Identity.SecretFile.PrivateFile(companion);
            }
        }
        var sqlite = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            // Microsoft.Data.Sqlite retries on SQLITE_BUSY until this many seconds pass; the ingest
            // writer and an import may want the write lock at the same time.
            DefaultTimeout = 60,
        };
        return new Store(Dialect.Sqlite, sqlite.ToString(), null, $"SQLite {path}");
    }

    public static bool LooksLikePostgres(string spec) =>
        spec.Contains("Host=", StringComparison.OrdinalIgnoreCase) || spec.StartsWith("postgres", StringComparison.OrdinalIgnoreCase);

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(ct);
        }
        var connection = new SqliteConnection(_sqliteConnectionString);
        await connection.OpenAsync(ct);
        // WAL lets readers go on while the single writer commits; FULL makes each commit survive a
        // power cut as well as a killed process. Group commit pays that fsync once per batch.
        // busy_timeout: without it Microsoft.Data.Sqlite answers a busy write lock by sleeping 150 ms and
        // retrying; SQLite's own handler waits in steps of a few ms.
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536; PRAGMA busy_timeout=60000;";
        await pragma.ExecuteNonQueryAsync(ct);
        return connection;
    }

    /// <summary>Applies every migration not yet applied, in number order, each in its own transaction.</summary>
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        // Only DDL when there is something to do: a host running as a role without DDL rights (a migration role
        // apart, see README) starts on a store that is up to date.
        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(Dialect == Dialect.Postgres
            ? "SELECT COUNT(*) FROM pg_catalog.pg_class c WHERE c.oid = to_regclass('schema_migrations')"
            : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'", cancellationToken: ct)) > 0;
        if (!exists)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)", cancellationToken: ct));
        }
        var applied = (await connection.QueryAsync<string>(new CommandDefinition("SELECT name FROM schema_migrations", cancellationToken: ct))).ToHashSet();

        foreach (var (name, sql) in Migrations(Dialect))
        {
            if (applied.Contains(name))
            {
                continue;
            }
            await using var tx = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(Dialect.ExpandSchema(sql), transaction: tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (name, applied_at) VALUES (@name, @at)",
                new { name, at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
        }
    }

    // The embedded migration files for a dialect: shared ones and the dialect's own, by number.
    internal static IEnumerable<(string Name, string Sql)> Migrations(Dialect dialect)
    {
        const string prefix = "migrations/";
        var other = (dialect == Dialect.Sqlite ? Dialect.Postgres : Dialect.Sqlite).MigrationSuffix();
        var assembly = Assembly.GetExecutingAssembly();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var name = resource[prefix.Length..];
            if (name.EndsWith(other, StringComparison.Ordinal))
            {
                continue;
            }
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return (name, reader.ReadToEnd());
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
        else
        {
            SqliteConnection.ClearAllPools();
        }
    }
}
