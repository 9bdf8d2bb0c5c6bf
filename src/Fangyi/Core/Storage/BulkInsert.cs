using System.Data.Common;
using Npgsql;
using System.Diagnostics.CodeAnalysis;

namespace Fangyi.Core.Storage;

/// <summary>
/// Many rows into one table, the fastest way each store has for a batch: on PostgreSQL one statement over one array a
/// column (<c>INSERT ... SELECT * FROM unnest(@a, @b, ...)</c>), parsed and planned once for the whole batch; on SQLite,
/// in this process, one prepared statement bound again for each row. Define it once, as a static field, and write rows
/// with <see cref="ExecuteAsync"/>, or inside an ingest batch with <c>IngestBatch.InsertAsync</c>, which sends it with
/// the batch's other writes:
/// <code>
/// static readonly BulkInsert&lt;Check&gt; Checks = new BulkInsert&lt;Check&gt;("checks")
///     .Column("client_id", c => c.ClientId)
///     .Column("resident_id", c => c.ResidentId)   // a long?: null is NULL
///     .OnConflict("(client_id) DO NOTHING");
/// </code>
/// </summary>
/// <remarks>Immutable: each call returns a new definition, so a static one is safe to share between threads.</remarks>
public sealed class BulkInsert<T>
{
    private readonly string _table;
    private readonly Field[] _fields;
    private readonly string? _conflict;
    private readonly string[] _names;

    public BulkInsert(string table)
        : this(table, [], null)
    {
    }

    private BulkInsert(string table, Field[] fields, string? conflict)
    {
        _table = table;
        _fields = fields;
        _conflict = conflict;
        _names = fields.Select(f => f.Name).ToArray();
        var columns = string.Join(", ", _names);
        var parameters = string.Join(", ", _names.Select(n => "@" + n));
        var suffix = conflict is null ? "" : " ON CONFLICT " + conflict;
        PostgresSql = $"INSERT INTO {table} ({columns}) SELECT * FROM unnest({parameters}){suffix}";
        SqliteSql = $"INSERT INTO {table} ({columns}) VALUES ({parameters}){suffix}";
    }

    /// <summary>The statement PostgreSQL runs: every row in one, from one array parameter a column.</summary>
    public string PostgresSql { get; }

    /// <summary>The statement SQLite runs once per row.</summary>
    public string SqliteSql { get; }

    /// <summary>
    /// A column and how a row gives its value. The value's type is the column's on both stores (long, string, bool,
    /// byte[] ...); a null (a null string, a long? without a value) is written as NULL.
    /// </summary>
    public BulkInsert<T> Column<TValue>(string name, Func<T, TValue> value) => new(_table, [.. _fields, new Field<TValue>(name, value)], _conflict);

    /// <summary>What a row that meets an existing one does: "(client_id) DO NOTHING", as both stores write it.</summary>
    public BulkInsert<T> OnConflict(string clause) => new(_table, _fields, clause);

    /// <summary>Inserts the rows now, inside <paramref name="tx"/>.</summary>
    [SuppressMessage("Security", "CA2100", Justification = "Table and column names come from code; every value is a bound parameter.")]
    public async Task ExecuteAsync(DbConnection connection, DbTransaction? tx, IReadOnlyList<T> rows, CancellationToken ct = default)
    {
        if (rows.Count == 0)
        {
            return;
        }
        if (connection is NpgsqlConnection pg)
        {
            await using var command = new NpgsqlCommand(PostgresSql, pg, (NpgsqlTransaction?)tx);
            foreach (var field in _fields)
            {
                command.Parameters.Add(field.Array(rows));
            }
            // Prepared once per connection (a repeat is free): the server stops parsing and planning it each batch.
            await command.PrepareAsync(ct);
            await command.ExecuteNonQueryAsync(ct);
            return;
        }
        await using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = SqliteSql;
        var parameters = insert.AddParameters(_names);
        await insert.PrepareAsync(ct);
        foreach (var row in rows)
        {
            for (var i = 0; i < _fields.Length; i++)
            {
                parameters[i].Value = _fields[i].Value(row) ?? DBNull.Value;
            }
            await insert.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>The rows as one statement of a PostgreSQL batch, for a caller that sends several together (an ingest batch's write list).</summary>
    public NpgsqlBatchCommand ToBatchCommand(IReadOnlyList<T> rows)
    {
        var command = new NpgsqlBatchCommand(PostgresSql);
        foreach (var field in _fields)
        {
            command.Parameters.Add(field.Array(rows));
        }
        return command;
    }

    private abstract class Field(string name)
    {
        public string Name { get; } = name;

        /// <summary>The column's values of all rows as one typed array (string[], long?[] ...), as unnest takes them.</summary>
        public abstract NpgsqlParameter Array(IReadOnlyList<T> rows);

        public abstract object? Value(T row);
    }

    private sealed class Field<TValue>(string name, Func<T, TValue> value) : Field(name)
    {
        public override NpgsqlParameter Array(IReadOnlyList<T> rows)
        {
            var values = new TValue[rows.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = value(rows[i]);
            }
            return new NpgsqlParameter<TValue[]>(Name, values);
        }

        public override object? Value(T row) => value(row);
    }
}
