using Fangyi.Core.Pages;
using Fangyi.Core.Storage;
using System.Globalization;
using Fangyi.Core.Audit;
using Fangyi.Core.Identity;
using Fangyi.Core.Jurisdiction;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangyi.Features.Residents;

[Microsoft.AspNetCore.Authorization.Authorize(Policy = Features.Residents.ResidentPolicies.Read)]
public sealed class DetailModel(Store store, KeyRing keys, DivisionDirectory divisions, AuditLog audit, IEnumerable<Core.Timeline.ITimelineSource> sources) : PageModel
{
    /// <summary>The person's whole epidemic picture, newest first: every capability's events about them (samples, results, checks, colour, doses, arrivals, tasks).</summary>
    public List<Core.Timeline.TimelineEntry> Timeline { get; } = [];

    public ResidentView? Resident { get; private set; }

    public ResidentIdentity? Identity { get; private set; }

    public string? Notice { get; private set; }

    public bool MayReveal => Roles.MaySeeFullIdentity(User.Role());

    // Who read this person's data; admins only.
    public List<AuditLog.Entry>? Trail { get; private set; }

    public Task<IActionResult> OnGetAsync(long id, CancellationToken ct) => ShowAsync(id, reveal: false, ct);

    public Task<IActionResult> OnPostRevealAsync(long id, CancellationToken ct) => ShowAsync(id, reveal: true, ct);

    private async Task<IActionResult> ShowAsync(long id, bool reveal, CancellationToken ct)
    {
        var db = ScopedDb.For(store, User);
        var subject = id.ToString(CultureInfo.InvariantCulture);
        // Outside the jurisdiction a resident does not exist: the same 404 as an unknown id.
        Resident = await ResidentQueries.FindAsync(db, divisions.Tree, id, ct);
        if (Resident is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        if (reveal)
        {
            if (!MayReveal)
            {
                return Forbid();
            }
            try
            {
                Identity = await ResidentQueries.RevealAsync(db, keys, id, ct);
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                Response.StatusCode = StatusCodes.Status409Conflict;
                Notice = ResidentsApi.IdentityUnreadable.Title;
                await audit.WriteAsync(HttpContext, "resident.reveal_refused", "resident", subject, Resident.Division, "ciphertext does not open for this row");
                return Page();
            }
            Response.Headers.CacheControl = "no-store";
            await audit.WriteAsync(HttpContext, "resident.reveal_identity", "resident", subject, Resident.Division);
        }
        else
        {
            await audit.WriteAsync(HttpContext, "resident.read", "resident", subject, Resident.Division);
        }
        var entries = new List<Core.Timeline.TimelineEntry>();
        foreach (var source in sources)
        {
            entries.AddRange(await source.ForResidentAsync(id, ct));
        }
        // Newest first; a stable sort, so entries of one moment keep the order their source gave (newest first too).
        Timeline.AddRange(entries.OrderByDescending(e => e.At));
        if (User.IsAdmin())
        {
            Trail = await audit.ForSubjectAsync("resident", subject, ct);
        }
        return Page();
    }
}
