using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fangyi.Core.Identity;
using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Accounts;
using Fangyi.Host;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fangyi.Bench;

/// <summary>
/// Check-ins a second at one quarantine site: a site with a single room for everyone, each person checked in once by a
/// bed-assigning scan (POST /api/v1/quarantine/scans, walk-ins by resident id) over keep-alive connections, side by
/// side with GET /healthz of the same host on the same connections. Every check-in is a different person, so the
/// figure counts beds given, not repeats answered.
/// </summary>
public static class QuarantineBench
{
    private const int People = 20_000;
    private const int Connections = 32;

    public static async Task RunAsync(BenchStore store, List<ResultRow> rows)
    {
        await using var app = await FangyiHost.BuildAsync(new FangyiOptions { Store = store.Spec, DataDir = store.Folder, Urls = "http://127.0.0.1:0", LoginsPerMinute = 1000 },
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning), TextWriter.Null);
        await app.StartAsync();
        var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        const string password = "Bench-pass-2026";
        await app.Services.GetRequiredService<AccountService>().CreateAsync([new AccountService.NewAccount("qbench", "qbench", Roles.Admin, 130922000000, password, false)]);
        using var client = new HttpClient { BaseAddress = url };
        var token = (await (await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "qbench", password })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var seed = Stopwatch.StartNew();
        var ids = new long[People];
        await Parallel.ForEachAsync(Enumerable.Range(0, People), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var number = IdNumber.Make(130922, new DateOnly(1950, 1, 1).AddDays(i / 999), i % 999 + 1);
            var answer = await (await client.PutAsJsonAsync("/api/v1/residents", new { idNumber = number, name = "隔离压测", division = "130922100238" }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
            ids[i] = answer.GetProperty("id").GetInt64();
        });
        var site = (await (await client.PostAsJsonAsync("/api/v1/quarantine/sites", new { name = "压测隔离点", division = 130922100000, address = "压测路1号" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var csv = new StringBuilder("楼栋,楼层,房间号,床位数,房型\n");
        for (var i = 0; i < People; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{i / 1000 + 1},{i % 1000 / 50 + 1},{i % 1000:D4},1,单人间\n");
        }
        using (var form = new MultipartFormDataContent())
        using (var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv.ToString())))
        {
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            form.Add(file, "file", "rooms.csv");
            var imported = await (await client.PostAsync(new Uri($"/api/v1/quarantine/sites/{site}/rooms/import", UriKind.Relative), form)).Content.ReadFromJsonAsync<JsonElement>();
            if (imported.GetProperty("created").GetInt32() != People)
            {
                throw new InvalidOperationException("rooms not imported: " + imported);
            }
        }
        Console.WriteLine($"    seeded {People:N0} residents and {People:N0} single rooms in {seed.Elapsed.TotalSeconds:F0} s (not timed)");

        var authorization = "Bearer " + token;
        var checkIns = ids.Select((id, i) => RawHttp.PostJson("/api/v1/quarantine/scans", authorization,
            $"{{\"clientId\":\"qb-{i}\",\"kind\":\"checkin\",\"siteId\":{site},\"residentIds\":[{id}],\"walkIn\":true,\"days\":14,\"testDays\":[1,7,14]}}")).ToArray();
        byte[][] trivial = [RawHttp.Get("/healthz")];
        await RawHttp.RunAsync(url, Connections, TimeSpan.FromSeconds(2), trivial);
        var healthz = await RawHttp.RunAsync(url, Connections, TimeSpan.FromSeconds(5), trivial);
        // Until every bed is given (requests beyond the people wrap round and are refused; they are counted apart).
        var clock = Stopwatch.StartNew();
        var given = await RawHttp.RunAsync(url, Connections, TimeSpan.FromSeconds(People / 1500.0), checkIns);
        clock.Stop();
        await using var connection = await app.Services.GetRequiredService<Fangyi.Core.Storage.Store>().OpenAsync();
        var stays = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT COUNT(*) FROM quarantine_stays WHERE state = 'in'");
        var beds = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT COUNT(DISTINCT room_id) FROM quarantine_stays WHERE state = 'in'");
        var rate = Math.Min(stays, given.Done) / given.Elapsed.TotalSeconds;
        rows.Add(new ResultRow(store.Kind, "GET /healthz beside the check-ins", healthz.Figure, "reference", null));
        rows.Add(new ResultRow(store.Kind, $"quarantine check-ins, one bed each, {Connections} connections",
            $"{rate,9:N0}/s  p50 {given.P50Ms:F2} ms  p99 {given.P99Ms:F2} ms  ({stays:N0} beds given, {beds:N0} rooms, {given.NotOk:N0} not 201 of {given.Done:N0}; {rate / healthz.PerSecond:P0} of /healthz)",
            "reference (no target set)", stays == beds ? null : false));
    }
}
