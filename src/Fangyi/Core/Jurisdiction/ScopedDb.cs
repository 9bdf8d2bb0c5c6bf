using Fangyi.Core.Storage;
using System.Data.Common;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Dapper;

namespace Fangyi.Core.Jurisdiction;

/// <summary>
/// The one place where jurisdiction is applied to reads of rows that belong to a division. A query names the
/// column that carries a row's division with <c>{scope:column}</c>; this class turns it into the account's
/// code range. A query without the marker is refused, so a read cannot forget the filter.
/// </summary>
public sealed partial class ScopedDb(Store store, Scope scope)
{
    public Scope Scope { get; } = scope;

    public Store Store { get; } = store;

    public static ScopedDb For(Store store, ClaimsPrincipal user) => new(store, user.Scope());

    [GeneratedRegex(@"\{scope:([A-Za-z_][A-Za-z0-9_.]*)\}")]
    private static partial Regex Marker();

    /// <summary>Expands the scope markers; the SQL must carry at least one.</summary>
    public (string Sql, DynamicParameters Args) Bind(string sql, object? args)
    {
        var found = false;
        var expanded = Marker().Replace(sql, m =>
        {
            found = true;
            return $"({m.Groups[1].Value} BETWEEN @scope_low AND @scope_high)";
        });
        if (!found)
        {
            throw new InvalidOperationException("A scoped query must filter by {scope:column}.");
        }
        var parameters = new DynamicParameters(args);
        parameters.Add("scope_low", Scope.Low);
        parameters.Add("scope_high", Scope.High);
        return (expanded, parameters);
    }

    public async Task<List<T>> QueryAsync<T>(string sql, object? args = null, CancellationToken ct = default)
    {
        var (text, parameters) = Bind(sql, args);
        await using var connection = await Store.OpenAsync(ct);
        return (await connection.QueryAsync<T>(new CommandDefinition(text, parameters, cancellationToken: ct))).AsList();
    }

    public async Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? args = null, CancellationToken ct = default)
    {
        var (text, parameters) = Bind(sql, args);
        await using var connection = await Store.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<T>(new CommandDefinition(text, parameters, cancellationToken: ct));
    }

    /// <summary>Streams rows for exports without holding them all in memory.</summary>
    public async IAsyncEnumerable<T> StreamAsync<T>(string sql, object? args = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var (text, parameters) = Bind(sql, args);
        await using var connection = await Store.OpenAsync(ct);
        await using DbDataReader reader = await connection.ExecuteReaderAsync(new CommandDefinition(text, parameters, cancellationToken: ct));
        var parser = reader.GetRowParser<T>();
        while (await reader.ReadAsync(ct))
        {
            yield return parser(reader);
        }
    }
}
