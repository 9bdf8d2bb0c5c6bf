using Fangyi.Core.Storage;
using Fangyi.Core.Jurisdiction;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Fangyi.Tests.Support;

namespace Fangyi.Tests.Platform;

public class ApiConventionTests
{
    [Fact]
    public async Task Health_AndOpenApiDocument_AreServed()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite);
        using var client = app.Anonymous();

        var health = await client.GetFromJsonAsync<JsonElement>("/healthz");
        var openApi = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        Assert.Equal("ok", health.GetProperty("status").GetString());
        var paths = openApi.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/residents", paths);
        Assert.Contains("/api/v1/divisions/{code}/children", paths);
        Assert.Contains("/api/v1/addresses/resolve", paths);
        Assert.Contains("/api/v1/accounts/import", paths);
    }

    [Fact]
    public async Task ATooLargeRequest_IsAProblemWithItsCode()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite, realPort: true);
        using var client = await app.ClientAsync("county", Roles.Admin, People.Qingxian);
        var token = client.DefaultRequestHeaders.Authorization!.Parameter;
        var url = new Uri(app.Url);
        // Announce a body over the 4 MB limit; the host refuses it before reading a byte of it.
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(url.Host, url.Port);
        var stream = socket.GetStream();
        var head = $"PUT /api/v1/residents HTTP/1.1\r\nHost: {url.Authority}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {5 * 1024 * 1024}\r\n\r\n{{";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        // The host closes the connection after the refusal; the answer is chunked, so take the JSON from it.
        using var reader = new StreamReader(stream);
        var answer = await reader.ReadToEndAsync();
        Assert.StartsWith("HTTP/1.1 413", answer, StringComparison.Ordinal);
        var problem = JsonDocument.Parse(answer[answer.IndexOf('{', StringComparison.Ordinal)..(answer.LastIndexOf('}') + 1)]).RootElement;
        Assert.Equal("payload_too_large", problem.GetProperty("code").GetString());
        Assert.Equal("提交的内容过大", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task MalformedJson_IsAProblemWithoutInternals()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite);
        using var client = await app.ClientAsync("county", Roles.Admin, People.Qingxian);

        using var body = new StringContent("{\"name\": ", Encoding.UTF8, "application/json");
        var response = await client.PutAsync("/api/v1/residents", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.Equal("提交的数据不正确", problem.GetProperty("title").GetString());
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailureInsideTheHost_IsA500ProblemWithoutAStackTrace()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite);
        using var client = await app.ClientAsync("county", Roles.Admin, People.Qingxian);
        // Break the store underneath the host: the resident table is gone.
        await using (var connection = await app.Store.OpenAsync())
        {
            await connection.ExecuteAsync("DROP TABLE residents");
        }

        var response = await client.GetAsync("/api/v1/residents");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("internal_error", JsonDocument.Parse(text).RootElement.GetProperty("code").GetString());
        Assert.DoesNotContain("residents", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task ReadsAndWritesOfPersons_AreAudited(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        using var admin = await app.ClientAsync("county", Roles.Admin, People.Qingxian);
        var created = await (await admin.PutAsJsonAsync("/api/v1/residents", new { idNumber = People.NewId(), name = "张三", division = People.Code(Villages.Simazhuang) }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetInt64();

        await admin.GetAsync($"/api/v1/residents/{id}");
        await admin.GetAsync($"/api/v1/residents/{id}/identity");
        var trail = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/residents/{id}/audit");

        Assert.Equal(["resident.reveal_identity", "resident.read", "resident.write"], trail.EnumerateArray().Select(e => e.GetProperty("action").GetString()!).ToArray());
        Assert.All(trail.EnumerateArray(), e => Assert.Equal("county", e.GetProperty("username").GetString()));

        // The audit log is append-only in the store itself.
        await using var connection = await app.Store.OpenAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => connection.ExecuteAsync("DELETE FROM audit_log"));
        await Assert.ThrowsAnyAsync<Exception>(() => connection.ExecuteAsync("UPDATE audit_log SET username = 'someone'"));
        Assert.Equal(3, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE subject_id = @id", new { id = id.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
    }

    [Fact]
    public async Task Migrations_RunOnceAndAgainWithoutChange()
    {
        var folder = TestStore.TempFolder();
        var spec = Path.Combine(folder, "fangyi.db");
        await using var store = Store.FromSpec(spec);

        await store.MigrateAsync();
        await store.MigrateAsync();

        await using var connection = await store.OpenAsync();
        var applied = (await connection.QueryAsync<string>("SELECT name FROM schema_migrations ORDER BY name")).ToList();
        Assert.Equal(["0001_foundation.sql", "0002_append_only.sqlite.sql", "0003_sampling.sql", "0004_checkpoint.sql", "0006_samples_by_round_and_person.sql",
            "0007_identity.sqlite.sql", "0007_identity_tables.sql", "0008_retry_ids.sqlite.sql", "0009_code_revocations_and_device_enrolment.sql", "0010_audit_chain.sql", "0011_sessions.sql", "0012_lab_receipt_and_corrections.sql", "0013_tasks.sql", "0014_retire_rounds_sites_teams.sql", "0015_screening.sql", "0016_residents_phone_lookup.sql", "0017_quarantine.sql"], applied);
    }
}
