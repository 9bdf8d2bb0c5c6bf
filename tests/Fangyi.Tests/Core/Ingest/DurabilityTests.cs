using Fangyi.Core.Storage;
using Fangyi.Core.Jurisdiction;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Fangyi.Core.Identity;
using Fangyi.Features.Divisions;
using Fangyi.Tests.Support;
using Xunit.Abstractions;

namespace Fangyi.Tests.Ingest;

/// <summary>
/// "Nothing acknowledged is ever lost, also on kill -9": the real program is loaded over HTTP from many clients,
/// killed with SIGKILL mid-stream, started again on the same store, and every write it had answered must be
/// there exactly once, and answer a retry as it answered the first time.
/// </summary>
public class DurabilityTests(ITestOutputHelper output)
{
    private sealed record Sent(string ClientId, string IdNumber, long Division);

    private sealed record Ack(Sent Request, int Status, string Body);

    private static object Body(Sent s) => new { clientId = s.ClientId, idNumber = s.IdNumber, name = "王小明", phone = "13912345678", division = People.Code(s.Division) };

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task AcknowledgedWrites_SurviveSigkill_ExactlyOnce(StoreKind kind)
    {
        var folder = TestStore.TempFolder();
        var store = await TestStore.CreateAsync(kind, folder);
        var oneTime = await OpenFirstAdminAsync(store, folder);
        var villages = new DivisionTree(DivisionImport.Shipped()).Descendants(People.Qingxian).Where(d => d.Level == DivisionLevel.Village).Select(d => d.Code).Take(50).ToArray();

        var acked = new ConcurrentDictionary<string, Ack>();
        var refused = new ConcurrentQueue<string>();
        var killed = 0;
        var inFlight = 0;
        int inFlightAtKill;
        string token;
        await using (var host = await HostProcess.ServeAsync(store, folder))
        {
            token = await SignInAsFirstAdminAsync(host.Url, oneTime);
            using var client = Client(host.Url, token);
            var clock = Stopwatch.StartNew();
            var workers = Enumerable.Range(0, 48).Select(w => Task.Run(async () =>
            {
                for (var n = 0; Volatile.Read(ref killed) == 0; n++)
                {
                    var sent = new Sent($"dur-{w}-{n}", People.NewId(), villages[(w + n) % villages.Length]);
                    Interlocked.Increment(ref inFlight);
                    try
                    {
                        using var response = await client.PutAsJsonAsync("/api/v1/residents", Body(sent));
                        var body = await response.Content.ReadAsStringAsync();
                        if (response.IsSuccessStatusCode)
                        {
                            acked[sent.ClientId] = new Ack(sent, (int)response.StatusCode, body);
                        }
                        else
                        {
                            refused.Enqueue($"{(int)response.StatusCode} {body}");
                        }
                    }
                    catch (Exception error) when (error is HttpRequestException or TaskCanceledException && Volatile.Read(ref killed) == 1)
                    {
                        return; // the host died under this request: it was never acknowledged
                    }
                    finally
                    {
                        Interlocked.Decrement(ref inFlight);
                    }
                }
            })).ToList();

            // About 1.5 s of load, and enough answered writes to make the check mean something; the 60 s limit
            // only keeps a host that stopped answering from hanging the run.
            while (clock.Elapsed < TimeSpan.FromSeconds(1.5) || acked.Count < 100)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"only {acked.Count} writes acknowledged in 60 s; refused: {refused.FirstOrDefault()}; host: {host.Output}");
                if (workers.FirstOrDefault(w => w.IsFaulted) is { } failed)
                {
                    Assert.Fail($"a client failed before the kill: {failed.Exception}");
                }
                await Task.Delay(50);
            }
            inFlightAtKill = Volatile.Read(ref inFlight);
            Volatile.Write(ref killed, 1);
            host.Kill();
            await Task.WhenAll(workers);
        }
        Assert.Empty(refused);
        Assert.True(inFlightAtKill > 0, "the host was killed with no request in flight");

        await using (var host = await HostProcess.ServeAsync(store, folder))
        {
            var keys = KeyRing.OpenOrCreate(Path.Combine(folder, "keys.json"));
            var (events, residents, upserts) = await ReadStoreAsync(store);
            output.WriteLine($"{kind}: {acked.Count} acknowledged, {inFlightAtKill} in flight at the kill, {upserts} stored");
            var lost = acked.Values.Where(a => events.GetValueOrDefault(a.Request.ClientId) != 1).ToList();
            Assert.True(lost.Count == 0, $"{lost.Count} of {acked.Count} acknowledged writes are not in the event log exactly once, e.g. {lost.FirstOrDefault()?.Request}");
            var byId = residents.ToDictionary(r => r.Id, r => Convert.ToHexString(r.Hash));
            var hashes = residents.GroupBy(r => Convert.ToHexString(r.Hash)).ToDictionary(g => g.Key, g => g.Count());
            foreach (var ack in acked.Values)
            {
                Assert.Equal(201, ack.Status);
                var id = JsonDocument.Parse(ack.Body).RootElement.GetProperty("id").GetInt64();
                var hash = Convert.ToHexString(keys.Hash(DocTypes.ResidentId, ack.Request.IdNumber));
                Assert.True(hashes.GetValueOrDefault(hash) == 1, $"resident of acknowledged {ack.Request.ClientId} is stored {hashes.GetValueOrDefault(hash)} times");
                Assert.Equal(hash, byId.GetValueOrDefault(id));
            }
            // Each write and its event share one transaction: no event without its resident, nor the reverse.
            Assert.Equal(upserts, residents.Count);

            // A phone that never saw its answer retries: the same answer, and nothing new is written.
            using var client = Client(host.Url, token);
            foreach (var ack in acked.Values.OrderBy(a => a.Request.ClientId, StringComparer.Ordinal).Where((_, i) => i % Math.Max(1, acked.Count / 40) == 0))
            {
                using var response = await client.PutAsJsonAsync("/api/v1/residents", Body(ack.Request));
                Assert.Equal(ack.Status, (int)response.StatusCode);
                Assert.Equal(ack.Body, await response.Content.ReadAsStringAsync());
            }
            var after = await ReadStoreAsync(store);
            Assert.Equal(events.Count, after.Events.Count);
            Assert.Equal(residents.Count, after.Residents.Count);
        }
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clear.
        }
    }

    private static HttpClient Client(string url, string token)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>The first admin, opened as an operator does: <c>fangyi accounts add</c> prints a one-time password.</summary>
    private static async Task<string> OpenFirstAdminAsync(string store, string folder)
    {
        var printed = await HostProcess.RunAsync("accounts", "add", "--username", "county-admin", "--name", "青县管理员", "--role", "admin",
            "--division", People.Code(People.Qingxian), "--store", store, "--data", folder);
        return printed.Trim().Split(' ')[^1];
    }

    /// <summary>The first sign-in must change the one-time password; the token of the second sign-in is the one to work with.</summary>
    private static async Task<string> SignInAsFirstAdminAsync(string url, string oneTime)
    {
        using var client = new HttpClient { BaseAddress = new Uri(url) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(client, oneTime));
        var changed = await client.PostAsJsonAsync("/api/v1/auth/password", new { oldPassword = oneTime, newPassword = TestApp.Password });
        Assert.True(changed.IsSuccessStatusCode, await changed.Content.ReadAsStringAsync());
        client.DefaultRequestHeaders.Authorization = null;
        return await TokenAsync(client, TestApp.Password);
    }

    private static async Task<string> TokenAsync(HttpClient client, string password)
    {
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "county-admin", password });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    private sealed record ResidentRow(long Id, byte[] Hash);

    private static async Task<(Dictionary<string, long> Events, List<ResidentRow> Residents, long Upserts)> ReadStoreAsync(string spec)
    {
        await using var store = Store.FromSpec(spec);
        await using var connection = await store.OpenAsync();
        var events = (await connection.QueryAsync<(string ClientId, long Count)>("SELECT client_id, COUNT(*) FROM events GROUP BY client_id"))
            .ToDictionary(e => e.ClientId, e => e.Count);
        var residents = (await connection.QueryAsync<(long Id, byte[] Hash)>("SELECT id, id_hash FROM residents")).Select(r => new ResidentRow(r.Id, r.Hash)).ToList();
        var upserts = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM events WHERE kind = 'resident.upsert' AND accepted");
        return (events, residents, upserts);
    }
}
