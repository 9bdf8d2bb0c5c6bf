using System.Net.Http.Json;
using System.Text.Json;
using Fangyi.Tests.Support;

namespace Fangyi.Tests.Quarantine;

/// <summary>The calls quarantine tests make: a site with rooms, a referral, a scan, and their answers.</summary>
public static class QuarantineDesk
{
    private static int _scan;

    public static string NextClientId() => $"q-{Interlocked.Increment(ref _scan)}";

    public static async Task<(int Status, JsonElement Body)> AnswerAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode != 500, text);
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>A site in 青县清州镇 with <paramref name="singles"/> single rooms and family rooms of the given beds; its id.</summary>
    public static async Task<long> SiteAsync(HttpClient admin, int singles, int[]? families = null, bool allowsFamilies = true, long division = People.Qingzhou)
    {
        var (status, site) = await AnswerAsync(await admin.PostAsJsonAsync("/api/v1/quarantine/sites", new { name = "青县隔离酒店", division, address = "青县清州镇兴华路1号", allowsFamilies }));
        Assert.True(status == 201, site.ToString());
        var id = site.GetProperty("id").GetInt64();
        var csv = new System.Text.StringBuilder("楼栋,楼层,房间号,床位数,房型\n");
        for (var i = 0; i < singles; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"1号楼,{i / 50 + 1},{i + 1:D3},1,单人间\n");
        }
        foreach (var (beds, i) in (families ?? []).Select((b, i) => (b, i)))
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"2号楼,1,F{i + 1:D2},{beds},家庭间\n");
        }
        var (imported, report) = await ImportAsync(admin, id, csv.ToString());
        Assert.True(imported == 200 && report.GetProperty("errors").GetArrayLength() == 0, report.ToString());
        return id;
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000", Justification = "MultipartFormDataContent.Add takes ownership of the part: disposing the form disposes it.")]
    public static async Task<(int Status, JsonElement Body)> ImportAsync(HttpClient admin, long site, string csv)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "rooms.csv");
        return await AnswerAsync(await admin.PostAsync($"/api/v1/quarantine/sites/{site}/rooms/import", form));
    }

    public static async Task<(int Status, JsonElement Body)> ReferAsync(HttpClient admin, string idNumber, int days = 14, int[]? testDays = null) =>
        await AnswerAsync(await admin.PostAsJsonAsync("/api/v1/quarantine/referrals", new { idNumber, reason = "密切接触者", days, testDays = testDays ?? [1, 4, 7, 14] }));

    public static async Task<(int Status, JsonElement Body)> ScanAsync(HttpClient client, object scan) =>
        await AnswerAsync(await client.PostAsJsonAsync("/api/v1/quarantine/scans", scan));

    public static Task<(int Status, JsonElement Body)> CheckInAsync(HttpClient client, long site, params string[] people) =>
        ScanAsync(client, new { clientId = NextClientId(), kind = "checkin", siteId = site, people });

    public static string Code(this JsonElement problem) => problem.GetProperty("code").GetString()!;
}
