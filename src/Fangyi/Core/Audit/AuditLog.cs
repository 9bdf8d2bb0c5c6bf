using System.Security.Claims;
using Dapper;
using Fangyi.Core.Jurisdiction;

namespace Fangyi.Core.Audit;

/// <summary>
/// The append-only record of who read or changed which person's data, when, and from where. The store refuses
/// updates and deletes of its rows (migration 0002).
/// </summary>
public sealed class AuditLog(Store.Store store)
{
    public async Task WriteAsync(HttpContext http, string action, string subjectType, string? subjectId, long? division = null, string? detail = null)
    {
        var user = http.User;
        await WriteAsync(user, http.Connection.RemoteIpAddress?.ToString() ?? "", action, subjectType, subjectId, division, detail, http.RequestAborted);
    }

    public async Task WriteAsync(ClaimsPrincipal user, string ip, string action, string subjectType, string? subjectId, long? division, string? detail, CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO audit_log (at, account_id, username, action, subject_type, subject_id, division, ip, detail)
            VALUES (@at, @accountId, @username, @action, @subjectType, @subjectId, @division, @ip, @detail)
            """,
            new
            {
                at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                accountId = user.Identity?.IsAuthenticated == true ? user.AccountId() : (long?)null,
                username = user.Identity?.Name,
                action,
                subjectType,
                subjectId,
                division,
                ip,
                detail,
            }, cancellationToken: ct));
    }

    public sealed record Entry
    {
        public long Seq { get; init; }
        public long At { get; init; }
        public long? AccountId { get; init; }
        public string? Username { get; init; }
        public string Action { get; init; } = "";
        public string? SubjectType { get; init; }
        public string? SubjectId { get; init; }
        public long? Division { get; init; }
        public string? Ip { get; init; }
        public string? Detail { get; init; }
    }

    /// <summary>The audit trail of one subject, newest first, for those allowed to read it.</summary>
    public async Task<List<Entry>> ForSubjectAsync(string subjectType, string subjectId, CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        return (await connection.QueryAsync<Entry>(new CommandDefinition(
            "SELECT seq, at, account_id AS AccountId, username, action, subject_type AS SubjectType, subject_id AS SubjectId, division, ip, detail FROM audit_log WHERE subject_type = @subjectType AND subject_id = @subjectId ORDER BY seq DESC",
            new { subjectType, subjectId }, cancellationToken: ct))).AsList();
    }
}
