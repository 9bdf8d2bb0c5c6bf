using Fangyi.Core.Storage;
using System.Data.Common;
using Npgsql;

namespace Fangyi.Core.Ingest;

public sealed class IngestBatch(DbConnection connection, DbTransaction transaction, Dialect dialect, long now)
{
    private NpgsqlBatch? _writes;

    public DbConnection Connection { get; } = connection;
    public DbTransaction Transaction { get; } = transaction;
    public Dialect Dialect { get; } = dialect;
    public long Now { get; } = now;

    /// <summary>
    /// Writes a statement once per row. On PostgreSQL the statements wait in the batch's write list and reach
    /// the server together, with the event log's rows, in one round trip before the commit (or before the next
    /// handler reads); a batch of scans paid a round trip per kind of row, each a wait on a busy machine. On
    /// SQLite, in the same process, they run now.
    /// </summary>
    public Task WriteEachAsync<T>(string sql, string[] names, IReadOnlyCollection<T> rows, Func<T, object?[]> values, CancellationToken ct = default)
    {
        if (rows.Count == 0)
        {
            return Task.CompletedTask;
        }
        if (Connection is NpgsqlConnection)
        {
            DialectSql.AddEach(Writes, sql, names, rows, values);
            return Task.CompletedTask;
        }
        return Connection.ExecuteEachAsync(Transaction, sql, names, rows, values, ct);
    }

    /// <summary>
    /// Inserts rows by a <see cref="BulkInsert{T}"/>: on PostgreSQL one statement that waits in the write list like
    /// <see cref="WriteEachAsync{T}"/>'s; on SQLite now.
    /// </summary>
    public Task InsertAsync<T>(BulkInsert<T> insert, IReadOnlyList<T> rows, CancellationToken ct = default)
    {
        if (rows.Count == 0)
        {
            return Task.CompletedTask;
        }
        if (Connection is NpgsqlConnection)
        {
            Write(insert.ToBatchCommand(rows));
            return Task.CompletedTask;
        }
        return insert.ExecuteAsync(Connection, Transaction, rows, ct);
    }

    /// <summary>A PostgreSQL statement for the write list (see <see cref="WriteEachAsync{T}"/>).</summary>
    public void Write(NpgsqlBatchCommand command) => Writes.BatchCommands.Add(command);

    private NpgsqlBatch Writes => _writes ??= new NpgsqlBatch((NpgsqlConnection)Connection, (NpgsqlTransaction)Transaction);

    /// <summary>Sends the write list, prepared (a statement the connection has prepared before costs nothing more).</summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        if (_writes is not { } writes)
        {
            return;
        }
        _writes = null;
        await using (writes)
        {
            await writes.PrepareAsync(ct);
            await writes.ExecuteNonQueryAsync(ct);
        }
    }
}
