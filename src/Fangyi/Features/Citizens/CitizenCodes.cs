using Fangyi.Core.Store;
using System.Security.Cryptography;
using Dapper;
using Fangyi.Core.Codes;
using Fangyi.Core.Identity;

namespace Fangyi.Features.Citizens;

/// <summary>
/// Citizen codes (市民码): a signed token per resident whose subject is an opaque random id kept on the
/// resident's row, never a name or an identity number. Issued to the resident who proves who they are, or
/// printed by their village for people without phones.
/// </summary>
public sealed class CitizenCodes(Core.Store.Store store, SignedCodes codes, KeyRing keys, TimeProvider clock, Core.Status.StatusIndex? status = null)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);

    public sealed record Issued(long ResidentId, string Name, string IdMasked, string Code, DateTimeOffset Expires);

    private sealed record Row
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public string IdMasked { get; init; } = "";
        public byte[]? Subject { get; init; }
        public long Division { get; init; }
    }

    /// <summary>Codes for the given residents, giving each a subject id the first time.</summary>
    public async Task<List<Issued>> IssueAsync(IReadOnlyList<long> residentIds, CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        var args = new DynamicParameters();
        var where = store.Dialect.InList("id", residentIds, args, "r");
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition($"SELECT id, name, id_masked AS IdMasked, subject, division FROM residents WHERE {where} ORDER BY id", args, cancellationToken: ct))).ToList();
        var fresh = rows.Where(r => r.Subject is null).Select(r => new { r.Id, Subject = RandomNumberGenerator.GetBytes(16) }).ToList();
        if (fresh.Count > 0)
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            // Two hosts may race to give the same resident a subject; the first one stays.
            await connection.ExecuteAsync(new CommandDefinition("UPDATE residents SET subject = @Subject WHERE id = @Id AND subject IS NULL", fresh, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            var args2 = new DynamicParameters();
            var where2 = store.Dialect.InList("id", fresh.Select(f => f.Id).ToList(), args2, "r");
            var subjects = (await connection.QueryAsync<Row>(new CommandDefinition($"SELECT id, subject FROM residents WHERE {where2}", args2, cancellationToken: ct))).ToDictionary(r => r.Id, r => r.Subject);
            rows = rows.Select(r => r.Subject is null ? r with { Subject = subjects[r.Id] } : r).ToList();
            // A door that scans the new code finds its owner in memory.
            foreach (var f in fresh)
            {
                status?.Subject(f.Id, subjects[f.Id]!);
            }
        }
        return rows.Select(r => new Issued(r.Id, r.Name, r.IdMasked, codes.Issue(CodeKind.Citizen, r.Subject!, Lifetime), clock.GetUtcNow().Add(Lifetime))).ToList();
    }

    /// <summary>
    /// The resident with this identity number, if the name given matches: how a resident proves who they are on
    /// a public page. A wrong name answers the same as an unknown number.
    /// </summary>
    public async Task<long?> ProveAsync(string? docType, string? number, string? name, CancellationToken ct = default)
    {
        var type = DocTypes.Parse(docType);
        var normalized = IdNumber.Normalize(number ?? "");
        if (type is null || normalized.Length == 0 || string.IsNullOrWhiteSpace(name))
        {
            return null;
        }
        await using var connection = await store.OpenAsync(ct);
        var args = new DynamicParameters();
        var where = store.Dialect.InList("id_hash", keys.LookupHashes(type, normalized), args, "h");
        args.Add("name", name.Trim());
        return await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition($"SELECT id FROM residents WHERE {where} AND name = @name", args, cancellationToken: ct));
    }

    /// <summary>The resident a verified code names.</summary>
    public async Task<long?> ResidentOfAsync(byte[] subject, CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("SELECT id FROM residents WHERE subject = @subject", new { subject }, cancellationToken: ct));
    }
}
