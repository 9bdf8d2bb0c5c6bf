using Fangyi.Core.Codes;
using Fangyi.Core.Http;
using Fangyi.Core.Identity;
using Fangyi.Core.Ingest;
using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Residents;

namespace Fangyi.Features.Sampling;

// Turns scan requests into ingest items: checks the role may do the action, the codes are well-formed and
// issued, the person's number or citizen code is valid; then queues it. Everything that depends on state
// (is the tube full, is the box sealed) is the handler's to decide.
public sealed class ScanIntake(IngestQueue ingest, IssuedCodes issued, SignedCodes codes, KeyRing keys, DivisionDirectory divisions, TimeProvider clock)
{
    // What a scan's form gives: the scan, the code it is about (the event log's subject), or why it is refused.
    internal readonly record struct Read(Scan? Scan, string Subject, ApiProblem? Problem);

    // OwnEndpoint: the kind comes only through its own endpoint, which does what the scan endpoints do not (a
    // correction is audited), never through /api/v1/scans.
    private sealed record Kind(string[] Roles, Func<ScanRequest, ScanIntake, CancellationToken, ValueTask<Read>> ReadAsync, bool OwnEndpoint = false);

    // Who may make each kind of scan, and how the kind reads its form.
    private static readonly Dictionary<string, Kind> Kinds = new()
    {
        [ScanKinds.OpenBox] = new([Roles.Sampler, Roles.Admin], OpenBox.ReadAsync),
        [ScanKinds.OpenTube] = new([Roles.Sampler, Roles.Admin], OpenTube.ReadAsync),
        [ScanKinds.AddPerson] = new([Roles.Sampler, Roles.Admin], AddPerson.ReadAsync),
        [ScanKinds.RemoveLast] = new([Roles.Sampler, Roles.Admin], RemoveLast.ReadAsync),
        [ScanKinds.SealTube] = new([Roles.Sampler, Roles.Admin], SealTube.ReadAsync),
        [ScanKinds.SealBox] = new([Roles.Sampler, Roles.Admin], SealBox.ReadAsync),
        [ScanKinds.PickUp] = new([Roles.Courier, Roles.Admin], PickUp.ReadAsync),
        [ScanKinds.HandOver] = new([Roles.Courier, Roles.Lab, Roles.Admin], HandOver.ReadAsync),
        [ScanKinds.Receive] = new([Roles.Lab, Roles.Admin], Receive.ReadAsync),
        [ScanKinds.Reconcile] = new([Roles.Lab, Roles.Admin], Reconcile.ReadAsync),
        [ScanKinds.Result] = new([Roles.Lab, Roles.Admin], TubeResult.ReadAsync),
        [ScanKinds.Correct] = new([Roles.Lab, Roles.Admin], CorrectResult.ReadAsync, OwnEndpoint: true),
    };

    public static readonly ApiProblem ActionUnknown = new("action_unknown", 400, "不支持的扫码操作");
    public static readonly ApiProblem ClientIdMissing = new("client_id_missing", 400, "缺少扫码编号 clientId");

    // Submits one scan and waits for its commit; a refusal comes back as an outcome, never as an exception.
    public Task<IngestOutcome> SubmitAsync(ScanRequest request, System.Security.Claims.ClaimsPrincipal user, string? device, CancellationToken ct) =>
        SubmitAsync(request, user, device, ownEndpoint: false, ct);

    // The same for a kind that has its own endpoint (see Kind.OwnEndpoint).
    internal async Task<IngestOutcome> SubmitAsync(ScanRequest request, System.Security.Claims.ClaimsPrincipal user, string? device, bool ownEndpoint, CancellationToken ct)
    {
        var (item, problem) = await PrepareAsync(request, user, device, ownEndpoint, ct);
        return problem is not null ? Refusal(problem) : await ingest.SubmitAsync(item!, ct);
    }

    public static ApiProblem BatchItemInvalid => Problems.BatchItemInvalid;

    // Prepares a whole batch before any of it is queued: a batch holding an item that is not a scan at all (null,
    // no action) is refused whole with the item's index, so a refused batch stores nothing. Items that are scans
    // but refused for what they say keep their own refusal beside the others' answers, as a phone's queue expects.
    public async Task<(List<(IngestItem? Item, ApiProblem? Problem)>? Prepared, ApiProblem? Problem)> PrepareBatchAsync(
        IReadOnlyList<ScanRequest?> requests, System.Security.Claims.ClaimsPrincipal user, string? device, CancellationToken ct)
    {
        for (var i = 0; i < requests.Count; i++)
        {
            if (requests[i] is null)
            {
                return (null, BatchItemInvalid.WithDetail($"第 {i} 条（从0起）为空") with { Index = i });
            }
        }
        var prepared = new List<(IngestItem?, ApiProblem?)>(requests.Count);
        foreach (var request in requests)
        {
            prepared.Add(await PrepareAsync(request!, user, device, ct));
        }
        return (prepared, null);
    }

    public static IngestOutcome Refusal(ApiProblem problem) =>
        new(false, problem.Status, System.Text.Json.JsonSerializer.SerializeToElement(problem.ToDetails()), Repeat: false);

    public Task<(IngestItem? Item, ApiProblem? Problem)> PrepareAsync(ScanRequest request, System.Security.Claims.ClaimsPrincipal user, string? device, CancellationToken ct) =>
        PrepareAsync(request, user, device, ownEndpoint: false, ct);

    private async Task<(IngestItem? Item, ApiProblem? Problem)> PrepareAsync(ScanRequest request, System.Security.Claims.ClaimsPrincipal user, string? device, bool ownEndpoint, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.ClientId) || request.ClientId.Length > 100)
        {
            return (null, ClientIdMissing);
        }
        var action = request.Action?.Trim() ?? "";
        if (!Kinds.TryGetValue(action, out var kind) || kind.OwnEndpoint != ownEndpoint)
        {
            return (null, ActionUnknown);
        }
        if (!kind.Roles.Contains(user.Role()))
        {
            return (null, Problems.Forbidden);
        }
        var context = new Context(user.Scope(), user.AccountId());
        var (scan, subject, problem) = await kind.ReadAsync(request, this, ct);
        if (problem is not null)
        {
            return (null, problem);
        }
        var location = request.Location is { Length: > 0 and <= 64 } l ? l.Trim() : null;
        scan = scan! with { Scope = context.Scope, AccountId = context.AccountId, Location = location };
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        // A phone's clock is believed unless it is in the future or more than a day behind (queued offline).
        var at = request.At is { } t && t <= now + 60_000 && t > now - 86_400_000 ? t : now;
        // The person's keyed hash is not logged (only the mask is), yet it tells another person under the same id from a retry.
        var fingerprint = scan is AddPerson { Person: var p } ? Convert.ToHexString(p.Subject ?? p.Hashes.FirstOrDefault() ?? []) : null;
        return (new IngestItem(request.ClientId.Trim(), action, user.Division(), context.AccountId, device, at, scan) { Subject = subject, Fingerprint = fingerprint }, null);
    }

    private sealed record Context(Scope Scope, long AccountId);

    // A box or tube code as scanned: well-formed and issued by the platform.
    internal async ValueTask<(string Code, ApiProblem? Problem)> CodeAsync(string? text, CodeType type, CancellationToken ct)
    {
        if (SampleCode.Parse(text, type) is not { } code)
        {
            return ("", type == CodeType.Tube ? SamplingProblems.TubeCodeInvalid : SamplingProblems.BoxCodeInvalid);
        }
        return await issued.IsIssuedAsync(code, ct) ? (code.ToString(), null) : (code.ToString(), SamplingProblems.CodeNotIssued);
    }

    // A citizen code (verified, from memory after the first time) or an identity number (validated), with the name
    // and phone of someone the registry may not know (the sampler asks for them only when the registry said so).
    internal (PersonRef? Person, ApiProblem? Problem) Person(string? text, string? docTypeText, string? nameText = null, string? phoneText = null)
    {
        text = text?.Trim() ?? "";
        if (text.StartsWith(SignedCodes.Prefix, StringComparison.Ordinal))
        {
            var (error, claims) = codes.Verify(text);
            if (error != CodeError.None || claims!.Kind != CodeKind.Citizen)
            {
                return (null, SamplingProblems.PersonInvalid.WithDetail(CodeMessages.For(error)));
            }
            return (new PersonRef("市民码", [], claims.Subject, null), null);
        }
        var docType = DocTypes.Parse(docTypeText);
        var number = IdNumber.Normalize(text);
        var error2 = docType == DocTypes.ResidentId
            ? IdNumber.Validate(number, divisions.Tree.RegionExists, DateOnly.FromDateTime(clock.GetLocalNow().DateTime))
            : docType is null ? IdError.DocumentFormat : IdNumber.ValidateOther(number);
        if (error2 != IdError.None)
        {
            return (null, SamplingProblems.PersonInvalid.WithDetail(IdNumber.Message(error2)));
        }
        var name = nameText?.Trim() ?? "";
        var phone = Core.Identity.Phone.Normalize(phoneText ?? "");
        if (name.Length > 50)
        {
            return (null, SamplingProblems.StrangerNameInvalid);
        }
        if (name.Length > 0 && !Core.Identity.Phone.IsValid(phone))
        {
            return (null, SamplingProblems.StrangerPhoneInvalid);
        }
        var key = keys.Active;
        var isId = docType == DocTypes.ResidentId;
        // Ready in case the registry has never met this person and the sampler gave a name; the handler decides
        // where they live. Without a name nobody is registered: the sampler is asked for one.
        var hash = KeyRing.Hash(key, docType!, number);
        var protectedPhone = name.Length > 0 ? ResidentRules.ProtectPhone(key, hash, phone) : default;
        var unregistered = new PreparedResident(docType!, hash, keys.LookupHashes(docType!, number, key, hash), KeyRing.Encrypt(key, number, KeyRing.Binding(Fields.IdNumber, hash)),
            IdNumber.Mask(number), key.Id, name, isId ? IdNumber.Gender(number) : null,
            protectedPhone.Hash, protectedPhone.Cipher, name.Length > 0 ? Core.Identity.Phone.Mask(phone) : null, 0, false, [RegisteredAtSite]);
        return (new PersonRef(IdNumber.Mask(number), unregistered.LookupHashes, null, unregistered), null);
    }

    /// <summary>The tag of a resident the registry first met at a sampling site, for the admins to complete.</summary>
    public const string RegisteredAtSite = "登记于采样点";
}
