using Dapper;
using Fangyi.Core.Audit;
using Fangyi.Core.Http;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using System.Globalization;

namespace Fangyi.Features.Sampling;

// Rounds, sites and teams change after they are opened: a round is renamed or runs longer, a site moves its
// address, a team is renamed; each is retired when it is no longer used (its history stays). Only an admin whose
// jurisdiction holds the round's, site's or team's division may change it; every change is audited.
public static class SetupEdits
{
    public sealed record RoundEdit(string? Name, DateTimeOffset? EndsAt);
    public sealed record SiteEdit(string? Name, string? Address);
    public sealed record TeamEdit(string? Name);

    public static readonly ApiProblem SiteNameTaken = new("site_name_taken", 409, "本区划已有同名采样点，请换一个名称（如加上地点）");
    public static readonly ApiProblem AlreadyRetired = new("already_retired", 409, "已停用，不能再修改");

    public static IEndpointRouteBuilder MapSetupEdits(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/v1/sampling").WithTags("Sampling").RequireAuthorization(SamplingPolicies.Manage);
        admin.MapPatch("/rounds/{id:long}", EditRound).WithSummary("Renames a round of the caller's jurisdiction or moves its end; audited");
        admin.MapPost("/rounds/{id:long}/retire", RetireRound).WithSummary("Retires a round: it ends now and leaves the samplers' lists; its samples stay; audited");
        admin.MapPatch("/sites/{id:long}", EditSite).WithSummary("Renames a site of the caller's jurisdiction or changes its address (names are unique per division); audited");
        admin.MapPost("/sites/{id:long}/retire", RetireSite).WithSummary("Retires a site: no new boxes are opened there; audited");
        admin.MapPatch("/sites/{site:long}/teams/{id:long}", EditTeam).WithSummary("Renames a team; audited");
        admin.MapPost("/sites/{site:long}/teams/{id:long}/retire", RetireTeam).WithSummary("Retires a team: its samplers no longer work at the site through it; audited");
        return app;
    }

    private sealed record Row(long Id, long Division, long? RetiredAt);

    private static Task<Row?> FindAsync(ScopedDb db, string table, long id, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<Row>($"SELECT id AS Id, division AS Division, retired_at AS RetiredAt FROM {table} WHERE id = @id AND {{scope:division}}", new { id }, ct);

    /// <summary>A name that another live site of the division already has (the samplers choose sites by name).</summary>
    internal static async Task<bool> SiteNameTakenAsync(Store store, long division, string name, long? except, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM sites WHERE division = @division AND name = @name AND retired_at IS NULL AND id <> @except",
            new { division, name, except = except ?? 0 }, cancellationToken: ct)) > 0;
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> EditRound(long id, RoundEdit edit, HttpContext http, Store store, AuditLog audit, CancellationToken ct)
    {
        var db = ScopedDb.For(store, http.User);
        if (await FindAsync(db, "rounds", id, ct) is not { } round)
        {
            return Problems.NotFound.ToResult();
        }
        if (round.RetiredAt is not null)
        {
            return AlreadyRetired.ToResult();
        }
        if (edit.Name is { } name && string.IsNullOrWhiteSpace(name))
        {
            return SamplingApi.NameMissing.ToResult();
        }
        await using var connection = await store.OpenAsync(ct);
        var starts = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT starts_at FROM rounds WHERE id = @id", new { id }, cancellationToken: ct));
        if (edit.EndsAt is { } ends && ends.ToUnixTimeMilliseconds() <= starts)
        {
            return SamplingApi.TimesInvalid.ToResult();
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE rounds SET name = COALESCE(@name, name), ends_at = COALESCE(@ends, ends_at) WHERE id = @id",
            new { id, name = edit.Name?.Trim(), ends = edit.EndsAt?.ToUnixTimeMilliseconds() }, cancellationToken: ct));
        await audit.WriteAsync(http, "sampling.round_edited", "round", Id(id), round.Division, Detail(edit.Name, edit.EndsAt?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)));
        return TypedResults.NoContent();
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> RetireRound(long id, HttpContext http, Store store, AuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        if (await FindAsync(ScopedDb.For(store, http.User), "rounds", id, ct) is not { } round)
        {
            return Problems.NotFound.ToResult();
        }
        if (round.RetiredAt is null)
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            await using var connection = await store.OpenAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE rounds SET retired_at = @now, ends_at = CASE WHEN ends_at > @now THEN @now ELSE ends_at END WHERE id = @id", new { id, now }, cancellationToken: ct));
            await audit.WriteAsync(http, "sampling.round_retired", "round", Id(id), round.Division);
        }
        return TypedResults.NoContent();
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> EditSite(long id, SiteEdit edit, HttpContext http, Store store, AuditLog audit, CancellationToken ct)
    {
        if (await FindAsync(ScopedDb.For(store, http.User), "sites", id, ct) is not { } site)
        {
            return Problems.NotFound.ToResult();
        }
        if (site.RetiredAt is not null)
        {
            return AlreadyRetired.ToResult();
        }
        if (edit.Name is { } name)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                return SamplingApi.NameMissing.ToResult();
            }
            if (await SiteNameTakenAsync(store, site.Division, name.Trim(), id, ct))
            {
                return SiteNameTaken.ToResult();
            }
        }
        await using var connection = await store.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sites SET name = COALESCE(@name, name), address = COALESCE(@address, address) WHERE id = @id",
            new { id, name = edit.Name?.Trim(), address = edit.Address?.Trim() }, cancellationToken: ct));
        await audit.WriteAsync(http, "sampling.site_edited", "site", Id(id), site.Division, Detail(edit.Name, edit.Address));
        return TypedResults.NoContent();
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> RetireSite(long id, HttpContext http, Store store, AuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        if (await FindAsync(ScopedDb.For(store, http.User), "sites", id, ct) is not { } site)
        {
            return Problems.NotFound.ToResult();
        }
        if (site.RetiredAt is null)
        {
            await using var connection = await store.OpenAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition("UPDATE sites SET retired_at = @now WHERE id = @id",
                new { id, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken: ct));
            await audit.WriteAsync(http, "sampling.site_retired", "site", Id(id), site.Division);
        }
        return TypedResults.NoContent();
    }

    private static async Task<Row?> FindTeamAsync(ScopedDb db, long site, long id, CancellationToken ct) =>
        await db.QuerySingleOrDefaultAsync<Row>("SELECT id AS Id, division AS Division, retired_at AS RetiredAt FROM teams WHERE id = @id AND site_id = @site AND {scope:division}", new { id, site }, ct);

    internal static async Task<Results<NoContent, ProblemHttpResult>> EditTeam(long site, long id, TeamEdit edit, HttpContext http, Store store, AuditLog audit, CancellationToken ct)
    {
        if (await FindTeamAsync(ScopedDb.For(store, http.User), site, id, ct) is not { } team)
        {
            return Problems.NotFound.ToResult();
        }
        if (team.RetiredAt is not null)
        {
            return AlreadyRetired.ToResult();
        }
        if (string.IsNullOrWhiteSpace(edit.Name))
        {
            return SamplingApi.NameMissing.ToResult();
        }
        await using var connection = await store.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE teams SET name = @name WHERE id = @id", new { id, name = edit.Name.Trim() }, cancellationToken: ct));
        await audit.WriteAsync(http, "sampling.team_edited", "team", Id(id), team.Division, edit.Name.Trim());
        return TypedResults.NoContent();
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> RetireTeam(long site, long id, HttpContext http, Store store, AuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        if (await FindTeamAsync(ScopedDb.For(store, http.User), site, id, ct) is not { } team)
        {
            return Problems.NotFound.ToResult();
        }
        if (team.RetiredAt is null)
        {
            await using var connection = await store.OpenAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition("UPDATE teams SET retired_at = @now WHERE id = @id",
                new { id, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken: ct));
            await audit.WriteAsync(http, "sampling.team_retired", "team", Id(id), team.Division);
        }
        return TypedResults.NoContent();
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static string Detail(string? a, string? b) => string.Join("，", new[] { a, b }.Where(x => !string.IsNullOrWhiteSpace(x)));
}
