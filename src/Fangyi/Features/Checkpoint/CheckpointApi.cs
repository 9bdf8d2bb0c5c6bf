using Fangyi.Core.Storage;
using System.Globalization;
using System.Text.Json;
using Fangyi.Core.Audit;
using Fangyi.Core.Http;
using Fangyi.Core.Imports;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Status;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fangyi.Features.Checkpoint;

public static class CheckpointApi
{
    public sealed record VerifyRequest(string? Input, string? ClientId);
    public sealed record Heartbeat(long ServerTime, long IndexAsOf, string RulesVersion, PlaceView Place)
    {
        public string DeviceId { get; init; } = "";
        public int? WindowHours { get; init; }
    }
    public sealed record PromptView(string Key, string Text);
    public sealed record PlaceRequest(string? Name, string? Category, long Division, string? Address);
    public sealed record RegisterRequest(long PlaceId, int? Count, IReadOnlyList<string>? Names);
    public sealed record RegisterResult(IReadOnlyList<DeviceRegistry.Registered> Registered, IReadOnlyList<ImportRowError> Errors);
    public sealed record EnrolRequest(string? Code);
    public sealed record RiskAreaRequest(long Division, string? Level, string? Name, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt);
    public sealed record EndRequest(DateTimeOffset? EndsAt);
    public sealed record CategoryView(string Key, string Name, int? WindowHours, IReadOnlyList<string> AllowedColours, bool VaccinationRequired, int MinDoses);
    public sealed record RulesView(string Version, int TravelDays, IReadOnlyList<CategoryView> Categories, JsonElement Document);

    public const int MaxDevicesPerRequest = 10_000;

    public static IEndpointRouteBuilder MapCheckpoint(this IEndpointRouteBuilder app)
    {
        // Devices authenticate with their own key (Authorization: Device D000123.secret), not with an account.
        var device = app.MapGroup("/api/v1/checkpoint").WithTags("Checkpoint").AllowAnonymous();
        device.MapPost("/verify", Verify)
            .WithSummary("Verifies a person at a checkpoint device (ID number, citizen code, health code or social-security card): answers the verdict and the prompt to show, from the in-memory status index");
        device.MapPost("/heartbeat", HeartbeatAsync)
            .WithSummary("Tells a checkpoint device the server's time, how fresh the status index is, the rules version and its place");
        // A kiosk's set-up screen trades a one-time code for its key; anonymous, so limited like the public pages.
        device.MapPost("/enrol", Enrol).RequireRateLimiting(Policies.PublicLimit)
            .WithSummary("Trades a kiosk's one-time enrolment code for the device's id and fresh key, which only this answer carries");
        device.MapGet("/prompts", () => TypedResults.Ok(Prompts.Texts.Select(p => new PromptView(p.Key, p.Value)).ToList()))
            .WithSummary("Lists the prompts a checkpoint device shows, by key, so a kiosk can show them offline");

        var admin = app.MapGroup("/api/v1/checkpoint").WithTags("Checkpoint").RequireAuthorization(Policies.Admin);
        admin.MapGet("/places", ListPlaces)
            .WithSummary("Lists the checkpoint places (venues) of the caller's jurisdiction, optionally of one category, a page at a time");
        admin.MapPost("/places", CreatePlace)
            .WithSummary("Registers a checkpoint place of a category in a division of the caller's jurisdiction");
        admin.MapGet("/devices", ListDevices)
            .WithSummary("Lists the checkpoint devices of the caller's jurisdiction, optionally of one place, a page at a time");
        admin.MapPost("/devices", RegisterDevices)
            .WithSummary("Registers devices at one place, by count or by names; their keys are in this answer only");
        admin.MapPost("/devices/import", ImportDevices).DisableAntiforgery()
            .WithSummary("Registers devices from a CSV or XLSX sheet (place_id, name); bad rows are reported by number, the keys are in this answer only");
        admin.MapPost("/devices/{deviceId}/revoke", RevokeDevice)
            .WithSummary("Revokes a device of the caller's jurisdiction: its key is refused from the next request; audited");
        admin.MapPost("/devices/{deviceId}/rotate", RotateDevice)
            .WithSummary("Gives a device of the caller's jurisdiction a new key (a leaked key, a kiosk handed over); the old one is refused at once; audited");
        admin.MapPost("/devices/{deviceId}/enrolment", CreateEnrolment)
            .WithSummary("Makes a one-time enrolment code for a device of the caller's jurisdiction, to type into the kiosk's set-up screen; audited");
        admin.MapGet("/rules", Rules)
            .WithSummary("Reads the checkpoint rules in force: the version, the travel window and each place category's requirements, with the whole rules document");
        admin.MapGet("/rules/versions", async (CheckpointRules rules, CancellationToken ct) => TypedResults.Ok(await rules.HistoryAsync(ct)))
            .WithSummary("Lists every published version of the checkpoint rules, with who published it and when");
        admin.MapPost("/rules", PublishRules)
            .WithSummary("Publishes a new version of the checkpoint rules (the whole JSON document), in force at once; city admins only, audited");
        admin.MapGet("/risk-areas", (RiskAreas areas) => TypedResults.Ok(areas.All))
            .WithSummary("Lists the medium- and high-risk areas, current and ended, that the checkpoint rules apply");
        admin.MapPost("/risk-areas", AddRiskArea)
            .WithSummary("Declares a risk area (a division, a level and a start), for city admins; audited");
        admin.MapPost("/risk-areas/{id:long}/end", EndRiskArea)
            .WithSummary("Ends a risk area at a time, for city admins; audited");
        app.MapHealthFacts();
        app.MapTracing();
        return app;
    }

    private static async Task<Results<Ok<CheckAnswer>, ProblemHttpResult>> Verify(VerifyRequest? request, HttpContext http, DeviceRegistry devices, DeviceThrottle throttle, CheckpointService checkpoint, AuditLog audit, CancellationToken ct)
    {
        if (devices.Authenticate(http.Request.Headers.Authorization.ToString(), out var device) is { } refused)
        {
            return TypedResults.Problem(refused.WithPrompt(Prompts.DeviceRefused));
        }
        devices.Seen(device!);
        var (allowed, firstRefusal) = throttle.Take(device!.RowId);
        if (!allowed)
        {
            if (firstRefusal)
            {
                // Once per burst, not per request: a flood must not become a flood of audit rows.
                await audit.WriteAsync(http, "checkpoint.device_rate_limited", "device", device.Id, null, $"place {device.PlaceId}");
            }
            http.Response.Headers.RetryAfter = throttle.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(CheckpointProblems.DeviceRateLimited.WithPrompt(Prompts.TooFast));
        }
        var (answer, problem) = await checkpoint.VerifyAsync(device!, request?.Input, request?.ClientId, ct);
        return answer is not null ? TypedResults.Ok(answer) : TypedResults.Problem(problem!);
    }

    private static async Task<Results<Ok<Heartbeat>, ProblemHttpResult>> HeartbeatAsync(HttpContext http, DeviceRegistry devices, PlaceDirectory places, CheckpointRules rules, StatusIndex index, TimeProvider clock, CancellationToken ct)
    {
        if (devices.Authenticate(http.Request.Headers.Authorization.ToString(), out var device) is { } refused)
        {
            return TypedResults.Problem(refused.WithPrompt(Prompts.DeviceRefused));
        }
        devices.Seen(device!);
        if (await places.FindAsync(device!.PlaceId, ct) is not { } place)
        {
            return CheckpointProblems.PlaceUnknown.ToResult();
        }
        var current = rules.Current;
        return TypedResults.Ok(new Heartbeat(clock.GetUtcNow().ToUnixTimeMilliseconds(), index.AsOf, current.Version,
            new PlaceView(place.Name, place.Category) { CategoryName = PlaceCategories.Names.GetValueOrDefault(place.Category, place.Category) })
        {
            DeviceId = device.Id,
            WindowHours = current.For(place.Category).WindowHours,
        });
    }

    private static async Task<Ok<List<Place>>> ListPlaces(string? category, long? after, int? limit, HttpContext http, Store store, CancellationToken ct) =>
        TypedResults.Ok(await PlaceDirectory.ListAsync(ScopedDb.For(store, http.User), category, after ?? 0, limit ?? 100, ct));

    private static async Task<Results<Created<Place>, ProblemHttpResult>> CreatePlace(PlaceRequest request, HttpContext http, PlaceDirectory places, CheckpointRules rules, DivisionDirectory divisions, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > 100)
        {
            return Problems.Validation.WithDetail("请填写场所名称（不超过100字）").ToResult();
        }
        if (PlaceCategories.Parse(request.Category, rules.Current.Categories) is not { } category)
        {
            return CheckpointProblems.CategoryUnknown.WithDetail("可选：" + string.Join("、", rules.Current.Categories)).ToResult();
        }
        if (divisions.Tree.Find(request.Division) is null)
        {
            return CheckpointProblems.DivisionUnknown.ToResult();
        }
        if (!http.User.Scope().Contains(request.Division))
        {
            return Problems.OutsideJurisdiction.ToResult();
        }
        var place = await places.CreateAsync(request.Name.Trim(), category, request.Division, request.Address?.Trim() ?? "", ct);
        return TypedResults.Created($"/api/v1/checkpoint/places/{place.Id}", place);
    }

    private static async Task<Ok<List<DeviceRegistry.DeviceView>>> ListDevices(long? placeId, long? after, int? limit, HttpContext http, Store store, CancellationToken ct) =>
        TypedResults.Ok(await DeviceRegistry.ListAsync(ScopedDb.For(store, http.User), placeId, after ?? 0, limit ?? 1000, ct));

    // Registers devices at one place: a count (named by number) or a list of names. The secrets are in this answer only.
    private static async Task<Results<Ok<RegisterResult>, ProblemHttpResult>> RegisterDevices(RegisterRequest request, HttpContext http, DeviceRegistry devices, PlaceDirectory places, AuditLog audit, CancellationToken ct)
    {
        if (await places.FindAsync(request.PlaceId, ct) is not { } place || !http.User.Scope().Contains(place.Division))
        {
            return CheckpointProblems.PlaceUnknown.ToResult();
        }
        var names = request.Names?.Select(n => n?.Trim() ?? "").ToList()
            ?? Enumerable.Range(1, Math.Max(0, request.Count ?? 1)).Select(i => $"{place.Name} {i:D3}号查验设备").ToList();
        if (names.Count is 0 or > MaxDevicesPerRequest)
        {
            return CheckpointProblems.TooMany.WithDetail($"每次登记1至{MaxDevicesPerRequest}台").ToResult();
        }
        if (names.Any(n => n.Length is 0 or > 100))
        {
            return Problems.Validation.WithDetail("设备名称不能为空，不超过100字").ToResult();
        }
        var registered = await devices.RegisterAsync(place, names, http.User.AccountId(), ct);
        await audit.WriteAsync(http, "checkpoint.devices_registered", "place", place.Id.ToString(CultureInfo.InvariantCulture), place.Division, $"{registered.Count} devices");
        return TypedResults.Ok(new RegisterResult(registered, []));
    }

    // Devices from a sheet (CSV or XLSX): columns place_id/场所编号 and name/设备名称. Every bad row is reported by number;
    // the good rows are registered, one transaction per place.
    private static async Task<Results<Ok<RegisterResult>, ProblemHttpResult>> ImportDevices(IFormFile? file, HttpContext http, DeviceRegistry devices, PlaceDirectory places, AuditLog audit, CancellationToken ct)
    {
        if (RowIntake.IsMissing(file))
        {
            return RowIntake.FileMissing.ToResult();
        }
        var errors = new List<ImportRowError>();
        var good = new List<(Place Place, string Name)>();
        var scope = http.User.Scope();
        foreach (var row in await RowIntake.RowsAsync(file, ImportLimits.Devices, ct))
        {
            var placeText = row.Get("place_id", "场所编号", "场所ID");
            var name = row.Get("name", "设备名称");
            if (!long.TryParse(placeText, NumberStyles.None, CultureInfo.InvariantCulture, out var placeId) || await places.FindAsync(placeId, ct) is not { } place || !scope.Contains(place.Division))
            {
                errors.Add(new ImportRowError(row.Number, "place_id", "场所编号不存在或不在您的管辖范围内"));
                continue;
            }
            if (name.Length is 0 or > 100)
            {
                errors.Add(new ImportRowError(row.Number, "name", "设备名称不能为空，不超过100字"));
                continue;
            }
            good.Add((place, name));
        }
        if (good.Count > MaxDevicesPerRequest)
        {
            return CheckpointProblems.TooMany.WithDetail($"每次导入不超过{MaxDevicesPerRequest}台").ToResult();
        }
        var registered = new List<DeviceRegistry.Registered>();
        foreach (var group in good.GroupBy(g => g.Place.Id))
        {
            var place = group.First().Place;
            registered.AddRange(await devices.RegisterAsync(place, group.Select(g => g.Name).ToList(), http.User.AccountId(), ct));
            await audit.WriteAsync(http, "checkpoint.devices_registered", "place", place.Id.ToString(CultureInfo.InvariantCulture), place.Division, $"{group.Count()} devices, imported");
        }
        return TypedResults.Ok(new RegisterResult(registered, errors));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeDevice(string deviceId, HttpContext http, DeviceRegistry devices, AuditLog audit, CancellationToken ct)
    {
        if (!await devices.RevokeAsync(deviceId, http.User.Scope(), ct))
        {
            return Problems.NotFound.ToResult();
        }
        await audit.WriteAsync(http, "checkpoint.device_revoked", "device", deviceId.ToUpperInvariant(), null);
        return TypedResults.NoContent();
    }

    // A new key for a device (a leaked one, a kiosk handed over): the old key is refused from the next request.
    private static async Task<Results<Ok<DeviceRegistry.Registered>, ProblemHttpResult>> RotateDevice(string deviceId, HttpContext http, DeviceRegistry devices, AuditLog audit, CancellationToken ct)
    {
        if (await devices.RotateAsync(deviceId, http.User.Scope(), ct) is not { } rotated)
        {
            return Problems.NotFound.ToResult();
        }
        await audit.WriteAsync(http, "checkpoint.device_key_rotated", "device", rotated.DeviceId, null);
        return TypedResults.Ok(rotated);
    }

    private static async Task<Results<Ok<DeviceRegistry.Enrolment>, ProblemHttpResult>> CreateEnrolment(string deviceId, HttpContext http, DeviceRegistry devices, AuditLog audit, CancellationToken ct)
    {
        if (await devices.CreateEnrolmentAsync(deviceId, http.User.Scope(), http.User.AccountId(), ct) is not { } enrolment)
        {
            return Problems.NotFound.ToResult();
        }
        await audit.WriteAsync(http, "checkpoint.device_enrolment_created", "device", enrolment.DeviceId, null);
        return TypedResults.Ok(enrolment);
    }

    // The kiosk's set-up: a one-time enrolment code for the device's fresh key, which only this answer carries.
    private static async Task<Results<Ok<DeviceRegistry.Registered>, ProblemHttpResult>> Enrol(EnrolRequest? request, HttpContext http, DeviceRegistry devices, AuditLog audit, CancellationToken ct)
    {
        if (await devices.EnrolAsync(request?.Code, ct) is not { } enrolled)
        {
            return CheckpointProblems.EnrolmentInvalid.ToResult();
        }
        await audit.WriteAsync(http, "checkpoint.device_enrolled", "device", enrolled.DeviceId, null);
        return TypedResults.Ok(enrolled);
    }

    private static Ok<RulesView> Rules(CheckpointRules rules)
    {
        var current = rules.Current;
        var document = current.Document;
        return TypedResults.Ok(new RulesView(document.Version, document.TravelDays,
            document.Categories.Select(c => new CategoryView(c.Key, PlaceCategories.Names.GetValueOrDefault(c.Key, c.Key), c.Value.WindowHours, c.Value.AllowedColours,
                c.Value.VaccinationRequired, current.For(c.Key).MinDoses)).ToList(),
            JsonSerializer.SerializeToElement(document, CheckpointRules.Json)));
    }

    // A new version of the rules (the whole JSON document, with a new version string), in force at once on this host.
    private static async Task<Results<Ok<RulesView>, ProblemHttpResult>> PublishRules(HttpContext http, CheckpointRules rules, AuditLog audit, CancellationToken ct)
    {
        if (!IsCityAdmin(http))
        {
            return CheckpointProblems.CityAdminOnly.ToResult();
        }
        using var reader = new StreamReader(http.Request.Body);
        var text = await reader.ReadToEndAsync(ct);
        var (published, problem, conflict) = await rules.PublishAsync(text, http.User.AccountId(), ct);
        if (published is null)
        {
            return (conflict ? CheckpointProblems.RulesVersionExists : CheckpointProblems.RulesInvalid).WithDetail(problem!).ToResult();
        }
        await audit.WriteAsync(http, "checkpoint.rules_published", "rules", published.Version, null);
        return Rules(rules);
    }

    // Risk areas and rules hold for the whole city: only an admin bound to a city (or province) changes them.
    private static bool IsCityAdmin(HttpContext http) => http.User.Division() is var d and > 0 && Division.LevelOf(d) <= DivisionLevel.City;

    private static async Task<Results<Created<RiskArea>, ProblemHttpResult>> AddRiskArea(RiskAreaRequest request, HttpContext http, RiskAreas areas, DivisionDirectory divisions, TimeProvider clock, AuditLog audit, CancellationToken ct)
    {
        if (!IsCityAdmin(http))
        {
            return CheckpointProblems.CityAdminOnly.ToResult();
        }
        if (!Division.IsWellFormed(request.Division) || (divisions.Tree.Find(request.Division) is null && divisions.Tree.Find(request.Division / 1_000_000 * 1_000_000) is null))
        {
            return CheckpointProblems.DivisionUnknown.ToResult();
        }
        var level = request.Level?.Trim().ToLowerInvariant() switch { "medium" or "中" or "中风险" => "medium", "high" or "高" or "高风险" => "high", _ => null };
        if (level is null)
        {
            return Problems.Validation.WithDetail("风险等级 level 应为 medium（中风险）或 high（高风险）").ToResult();
        }
        var starts = (request.StartsAt ?? clock.GetUtcNow()).ToUnixTimeMilliseconds();
        var ends = request.EndsAt?.ToUnixTimeMilliseconds();
        if (ends is not null && ends < starts)
        {
            return CheckpointProblems.DateInvalid.WithDetail("结束时间须晚于开始时间").ToResult();
        }
        var area = await areas.AddAsync(request.Division, level, request.Name, starts, ends, http.User.AccountId(), ct);
        await audit.WriteAsync(http, "checkpoint.risk_area_added", "risk_area", area.Id.ToString(CultureInfo.InvariantCulture), area.Division, $"{area.Level} {area.Name}");
        return TypedResults.Created($"/api/v1/checkpoint/risk-areas/{area.Id}", area);
    }

    private static async Task<Results<Ok<RiskArea>, ProblemHttpResult>> EndRiskArea(long id, EndRequest request, HttpContext http, RiskAreas areas, TimeProvider clock, AuditLog audit, CancellationToken ct)
    {
        if (!IsCityAdmin(http))
        {
            return CheckpointProblems.CityAdminOnly.ToResult();
        }
        if (await areas.EndAsync(id, (request.EndsAt ?? clock.GetUtcNow()).ToUnixTimeMilliseconds(), ct) is not { } area)
        {
            return Problems.NotFound.ToResult();
        }
        await audit.WriteAsync(http, "checkpoint.risk_area_ended", "risk_area", id.ToString(CultureInfo.InvariantCulture), area.Division);
        return TypedResults.Ok(area);
    }
}
