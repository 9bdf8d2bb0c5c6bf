using Fangyi.Core.Storage;
using System.Security.Cryptography;
using Dapper;
using Fangyi.Core.Codes;
using Fangyi.Core.Identity;
using Fangyi.Features.Residents;

namespace Fangyi.Features.Citizens;

// Citizen codes (市民码): a signed token per resident whose subject is an opaque random id kept on the
// resident's row, never a name or an identity number. Issued to the resident who proves who they are, or
// printed by their village for people without phones.
public sealed class CitizenCodes(Store store, ResidentLookups residents, SignedCodes codes, KeyRing keys, CodeRevocations revocations, TimeProvider clock, Core.Status.StatusIndex? status = null)
{
    // A code on a phone lives minutes: a screenshot forwarded to someone else is useless by the time it is used,
    // and the page fetches the next one before this one ends (docs/security.md, Codes).
    public static readonly TimeSpan PhoneLifetime = TimeSpan.FromMinutes(5);

    // A printed code (village sheet, staff print) lives a year; reprinting revokes the earlier one.
    public static readonly TimeSpan PrintedLifetime = TimeSpan.FromDays(365);

    public enum Use
    {
        Phone,
        Printed,
    }

    public sealed record Issued(long ResidentId, string Name, string IdMasked, string Code, DateTimeOffset Expires);

    // Codes for the given residents, giving each a subject id the first time. Printed codes are recorded by id,
    // and the earlier printed codes of the same residents are revoked in the same transaction.
    public async Task<List<Issued>> IssueAsync(IReadOnlyList<long> residentIds, Use use, CancellationToken ct = default)
    {
        var rows = await residents.FindAsync(residentIds, ct);
        var fresh = rows.Where(r => r.Subject is null).Select(r => (r.Id, Subject: RandomNumberGenerator.GetBytes(16))).ToList();
        if (fresh.Count > 0)
        {
            var subjects = await residents.GiveSubjectsAsync(fresh, ct);
            rows = rows.Select(r => r.Subject is null ? r with { Subject = subjects[r.Id] } : r).ToList();
            // A door that scans the new code finds its owner in memory.
            foreach (var f in fresh)
            {
                status?.Subject(f.Id, subjects[f.Id]);
            }
        }
        if (use == Use.Phone)
        {
            return rows.Select(r =>
            {
                var code = codes.IssueCode(CodeKind.Citizen, r.Subject!, PhoneLifetime);
                return new Issued(r.Id, r.Name, r.IdMasked, code.Text, code.Expires);
            }).ToList();
        }
        var printed = rows.Select(r => (Row: r, Code: codes.IssueCode(CodeKind.Citizen, r.Subject!, PrintedLifetime))).ToList();
        await using var connection = await store.OpenAsync(ct);
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            var earlier = await RevokePrintedAsync(connection, tx, rows.Select(r => r.Id).ToList(), "reprinted", ct);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO printed_codes (code_id, resident_id, issued_at, expires_at) VALUES (@CodeId, @ResidentId, @IssuedAt, @ExpiresAt)",
                printed.Select(p => new { p.Code.CodeId, ResidentId = p.Row.Id, IssuedAt = p.Code.IssuedAt.ToUnixTimeMilliseconds(), ExpiresAt = p.Code.Expires.ToUnixTimeMilliseconds() }), tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            revocations.Committed(earlier);
        }
        return printed.Select(p => new Issued(p.Row.Id, p.Row.Name, p.Row.IdMasked, p.Code.Text, p.Code.Expires)).ToList();
    }

    // Revokes every printed code of a resident that is still valid (a lost card, a request); how many.
    public async Task<int> RevokePrintedAsync(long residentId, string reason, CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var revoked = await RevokePrintedAsync(connection, tx, [residentId], reason, ct);
        await tx.CommitAsync(ct);
        revocations.Committed(revoked);
        return revoked.Count;
    }

    private sealed record PrintedRow(string CodeId, long ResidentId, long ExpiresAt);

    private async Task<List<CodeRevocations.NewRevocation>> RevokePrintedAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, IReadOnlyList<long> residentIds, string reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var args = new DynamicParameters();
        var where = store.Dialect.InList("p.resident_id", residentIds, args, "r");
        args.Add("now", now);
        var printed = (await connection.QueryAsync<PrintedRow>(new CommandDefinition(
            $"SELECT p.code_id AS CodeId, p.resident_id AS ResidentId, p.expires_at AS ExpiresAt FROM printed_codes p WHERE {where} AND p.revoked_at IS NULL AND p.expires_at > @now",
            args, tx, cancellationToken: ct))).ToList();
        if (printed.Count == 0)
        {
            return [];
        }
        var subjects = await residents.SubjectsAsync(connection, tx, printed.Select(p => p.ResidentId).Distinct().ToList(), ct);
        var rows = printed.Where(p => subjects.ContainsKey(p.ResidentId)).Select(p => new CodeRevocations.NewRevocation(p.CodeId, subjects[p.ResidentId], p.ExpiresAt)).ToList();
        if (rows.Count == 0)
        {
            return rows;
        }
        await connection.ExecuteAsync(new CommandDefinition("UPDATE printed_codes SET revoked_at = @now WHERE code_id = @CodeId",
            rows.Select(r => new { r.CodeId, now }), tx, cancellationToken: ct));
        await revocations.AddAsync(connection, tx, rows, reason, ct);
        return rows;
    }

    // The resident with this identity number, if the name given matches: how a resident proves who they are on
    // a public page. A wrong name answers the same as an unknown number.
    public async Task<long?> ProveAsync(string? docType, string? number, string? name, CancellationToken ct = default)
    {
        var type = DocTypes.Parse(docType);
        var normalized = IdNumber.Normalize(number ?? "");
        if (type is null || normalized.Length == 0 || string.IsNullOrWhiteSpace(name))
        {
            return null;
        }
        return await residents.WithNameAsync(keys.LookupHashes(type, normalized), name.Trim(), ct);
    }

    // Whether the name given is the resident's: the second factor for a code that is not fresh.
    public Task<bool> NameMatchesAsync(long residentId, string name, CancellationToken ct = default) => residents.NameIsAsync(residentId, name.Trim(), ct);

    // The resident a verified code names.
    public Task<long?> ResidentOfAsync(byte[] subject, CancellationToken ct = default) => residents.BySubjectAsync(subject, ct);
}
