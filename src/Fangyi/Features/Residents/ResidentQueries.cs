using Fangyi.Core.Storage;
using Dapper;
using Fangyi.Core.Identity;
using Fangyi.Core.Jurisdiction;

namespace Fangyi.Features.Residents;

/// <summary>Reads of the resident registry. Every one goes through <see cref="ScopedDb"/>, so it sees only its jurisdiction.</summary>
public static class ResidentQueries
{
    internal sealed record Row
    {
        public long Id { get; init; }
        public string DocType { get; init; } = "";
        public string IdMasked { get; init; } = "";
        public string Name { get; init; } = "";
        public string? Gender { get; init; }
        public string? PhoneMasked { get; init; }
        public long Division { get; init; }
        public bool Registered { get; init; }
        public string Tags { get; init; } = "";
        public long UpdatedAt { get; init; }
        public byte[]? IdHash { get; init; }
        public byte[]? IdCipher { get; init; }
        public byte[]? PhoneCipher { get; init; }

        public ResidentView View(DivisionTree tree) => new(Id, DocType, IdMasked, Name, Gender, PhoneMasked, Division, tree.PathName(Division), Registered,
            Tags.Split(',', StringSplitOptions.RemoveEmptyEntries), UpdatedAt);
    }

    private const string Columns = "id, doc_type AS DocType, id_masked AS IdMasked, name, gender, phone_masked AS PhoneMasked, division, registered, tags, updated_at AS UpdatedAt";

    public sealed record Filter(long? Division = null, string? Query = null, string? Tag = null, long After = 0, int Limit = 50);

    /// <summary>
    /// Residents in a division (default: the whole jurisdiction), by name prefix, by exact identity number (looked
    /// up by its hash, never compared in plain text) or by tag; keyset-paged by id.
    /// </summary>
    public static async Task<List<ResidentView>> ListAsync(ScopedDb db, DivisionTree tree, KeyRing keys, Filter filter, CancellationToken ct = default)
    {
        var (sql, args) = Build(db, keys, filter, Columns);
        args.Add("limit", Math.Clamp(filter.Limit, 1, 1000));
        var rows = await db.QueryAsync<Row>(sql + " ORDER BY id LIMIT @limit", args, ct);
        return rows.Select(r => r.View(tree)).ToList();
    }

    public static async Task<long> CountAsync(ScopedDb db, KeyRing keys, Filter filter, CancellationToken ct = default)
    {
        var (sql, args) = Build(db, keys, filter with { After = 0 }, "COUNT(*)");
        return await db.QuerySingleOrDefaultAsync<long>(sql, args, ct);
    }

    /// <summary>Every matching resident, streamed, for exports.</summary>
    public static async IAsyncEnumerable<ResidentView> StreamAsync(ScopedDb db, DivisionTree tree, KeyRing keys, Filter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var (sql, args) = Build(db, keys, filter with { After = 0 }, Columns);
        await foreach (var row in db.StreamAsync<Row>(sql + " ORDER BY division, id", args, ct))
        {
            yield return row.View(tree);
        }
    }

    /// <summary>A query searched by its hash (an ID number or other document), which therefore must not travel in a URL.</summary>
    public static bool LooksLikeIdNumber(string? query)
    {
        var number = IdNumber.Normalize(query?.Trim() ?? "");
        return number.Length >= 5 && number.Any(char.IsAsciiDigit);
    }

    // Digits (and perhaps a final X) that are not a whole 18-character number: part of an ID number, which no hash
    // can match. Searched all the same (a Taiwan permit is eight digits); when nothing is found the page says why.
    public static bool IsPartialIdNumber(string? query)
    {
        var number = IdNumber.Normalize(query ?? "");
        return number.Length is > 0 and not 18 && number.TrimEnd('X').Length > 0 && number.TrimEnd('X').All(char.IsAsciiDigit) && number.Count(c => c == 'X') <= 1;
    }

    public const string PartialIdNumberMessage = "请输入完整的18位身份证号码，或按姓名搜索";

    private static (string Sql, DynamicParameters Args) Build(ScopedDb db, KeyRing keys, Filter filter, string columns)
    {
        var args = new DynamicParameters();
        var sql = $"SELECT {columns} FROM residents WHERE {{scope:division}} AND id > @after";
        args.Add("after", filter.After);
        if (filter.Division is { } division)
        {
            var within = Scope.Of(division);
            sql += " AND division BETWEEN @low AND @high";
            args.Add("low", within.Low);
            args.Add("high", within.High);
        }
        var query = filter.Query?.Trim() ?? "";
        if (query.Length > 0)
        {
            var number = IdNumber.Normalize(query);
            if (LooksLikeIdNumber(query))
            {
                // An identity number or passport: match by hash under every live key and every document type.
                var hashes = DocTypes.Names.Keys.SelectMany(t => keys.LookupHashes(t, number)).ToList();
                sql += " AND " + db.Store.Dialect.InList("id_hash", hashes, args, "h");
            }
            else
            {
                sql += " AND name LIKE @name";
                args.Add("name", query.Replace("%", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal) + "%");
            }
        }
        if (!string.IsNullOrWhiteSpace(filter.Tag))
        {
            // Tags are stored as ",a,b," without the outer commas; match a whole tag.
            sql += " AND (',' || tags || ',') LIKE @tag";
            args.Add("tag", "%," + filter.Tag.Trim().Replace("%", "", StringComparison.Ordinal) + ",%");
        }
        return (sql, args);
    }

    public static async Task<ResidentView?> FindAsync(ScopedDb db, DivisionTree tree, long id, CancellationToken ct = default)
    {
        var row = await db.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM residents WHERE id = @id AND {{scope:division}}", new { id }, ct);
        return row?.View(tree);
    }

    /// <summary>The identity number and phone in clear, for those allowed; the caller audits the opening.</summary>
    public static async Task<ResidentIdentity?> RevealAsync(ScopedDb db, KeyRing keys, long id, CancellationToken ct = default)
    {
        var row = await db.QuerySingleOrDefaultAsync<Row>(
            "SELECT id, doc_type AS DocType, division, id_hash AS IdHash, id_cipher AS IdCipher, phone_cipher AS PhoneCipher FROM residents WHERE id = @id AND {scope:division}", new { id }, ct);
        if (row is null)
        {
            return null;
        }
        // A ciphertext opens only in the row and field it was made for: one copied here from elsewhere throws.
        return new ResidentIdentity(row.Id, row.DocType, keys.Decrypt(row.IdCipher!, KeyRing.Binding(Fields.IdNumber, row.IdHash!)),
            row.PhoneCipher is null ? null : keys.Decrypt(row.PhoneCipher, KeyRing.Binding(Fields.Phone, row.IdHash!)), row.Division);
    }
}
