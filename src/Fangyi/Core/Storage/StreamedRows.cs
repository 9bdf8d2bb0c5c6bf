using System.Diagnostics.CodeAnalysis;
using System.Data.Common;
using Dapper;

namespace Fangyi.Core.Storage;

/// <summary>Reads a query row by row without materialising it: the bulk loads at start-up and their catch-up for some people.</summary>
public static class StreamedRows
{
    /// <summary>
    /// Streams <paramref name="sql"/> into <paramref name="row"/>, for every row or, with <paramref name="only"/>, for those
    /// whose <paramref name="column"/> is in it. The filter goes where the SQL says <c>{where}</c>, or else at its end.
    /// </summary>
    [SuppressMessage("Security", "CA2100", Justification = "Callers pass constant SQL; the filter is a list of bound parameters.")]
    public static async Task StreamAsync(this DbConnection connection, Dialect dialect, string sql, string column, IReadOnlyCollection<long>? only, Action<DbDataReader> row,
        CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        var where = "";
        if (only is not null)
        {
            var args = new DynamicParameters();
            where = "WHERE " + dialect.InList(column, only.ToList(), args, "r");
            command.AddParameters(args);
        }
        command.CommandText = sql.Contains("{where}", StringComparison.Ordinal) ? sql.Replace("{where}", where, StringComparison.Ordinal) : $"{sql} {where}";
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            row(reader);
        }
    }
}
