using Npgsql;
using System.Diagnostics.CodeAnalysis;

namespace Fangyi.Bench;

/// <summary>A new, empty store for one part of the run: a SQLite file in a temp folder, or a schema of its own on PostgreSQL.</summary>
public sealed class BenchStore : IAsyncDisposable
{
    private readonly string? _server;
    private readonly string? _schema;

    private BenchStore(string kind, string spec, string folder, string? server, string? schema)
    {
        Kind = kind;
        Spec = spec;
        Folder = folder;
        _server = server;
        _schema = schema;
    }

    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary>The "store" column of figures measured in process, without one.</summary>
    public const string InProcess = "memory";

    public string Kind { get; }

    /// <summary>What <c>--store</c> would be given: the file path or the connection string.</summary>
    public string Spec { get; }

    /// <summary>The data folder: identity keys, sign-in keys, generated files.</summary>
    public string Folder { get; }

    [SuppressMessage("Security", "CA2100", Justification = "The schema name is a fresh GUID; DDL takes no parameters.")]
    public static async Task<BenchStore> CreateAsync(string kind, string? server, string purpose)
    {
        var folder = Directory.CreateTempSubdirectory($"fangyi-bench-{purpose}-").FullName;
        if (kind == Sqlite)
        {
            return new BenchStore(kind, Path.Combine(folder, "fangyi.db"), folder, null, null);
        }
        var schema = $"bench_{purpose}_{Guid.NewGuid():N}"[..32];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var spec = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema, MaxPoolSize = 100 }.ConnectionString;
        return new BenchStore(kind, spec, folder, server, schema);
    }

    [SuppressMessage("Security", "CA2100", Justification = "The schema name is a fresh GUID; DDL takes no parameters.")]
    public async ValueTask DisposeAsync()
    {
        if (_schema is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_server);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA {_schema} CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open; the temp folder is the OS's to clear.
        }
    }
}
