using Npgsql;
using System.Diagnostics.CodeAnalysis;

namespace Fangyi.Tests.Support;

public enum StoreKind
{
    Sqlite,
    Postgres,
}

/// <summary>
/// A fresh, empty store for one test: a SQLite file in a temp folder, or a schema of its own on the throwaway
/// PostgreSQL that scripts/test.sh starts (FANGYI_TEST_PG). Tests never share rows.
/// </summary>
public static class TestStore
{
    public static TheoryData<StoreKind> Both => new() { StoreKind.Sqlite, StoreKind.Postgres };

    public static string Server => Environment.GetEnvironmentVariable("FANGYI_TEST_PG") is { Length: > 0 } cs
        ? cs
        : throw new InvalidOperationException("FANGYI_TEST_PG is not set: run the tests with scripts/test.sh, which starts PostgreSQL.");

    public static string TempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "fangyi-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>The store spec for a new empty store of the kind.</summary>
    [SuppressMessage("Security", "CA2100", Justification = "The schema name is a fresh GUID; DDL takes no parameters.")]
    public static async Task<string> CreateAsync(StoreKind kind, string folder)
    {
        if (kind == StoreKind.Sqlite)
        {
            return Path.Combine(folder, "fangyi.db");
        }
        var schema = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(Server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(Server) { SearchPath = schema, MaxPoolSize = 20 }.ConnectionString;
    }
}
