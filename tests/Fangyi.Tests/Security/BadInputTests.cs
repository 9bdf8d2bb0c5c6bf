using Fangyi.Core.Jurisdiction;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Fangyi.Tests.Support;
using System.Diagnostics.CodeAnalysis;

namespace Fangyi.Tests.Security;

/// <summary>
/// Issue 9 finding 6: every operation in the OpenAPI document, fed a corpus of broken bodies, ids, query values and
/// files, as a signed-in city admin and anonymously, answers without a 5xx; every 4xx is a problem with a code, and no
/// answer carries a stack trace.
/// </summary>
public sealed class BadInputTests
{
    /// <summary>Operations not fed the corpus as the signed-in admin, and why. Few, on purpose.</summary>
    private static readonly Dictionary<string, string> SkippedSignedIn = new()
    {
        // It ends the admin's session; the rest of the run would then only see 401s. It is still fed anonymously.
        ["POST /api/v1/auth/logout"] = "ends the signed-in session the rest of the run needs",
    };

    // A raw %00 in a path is refused by Kestrel before the app (and TestServer cannot even send it): the app is fed
    // %2500, which it decodes to the text "%00".
    /// <summary>
    /// Failures the corpus finds in other helpers' areas of issue 9, tolerated here until their fixes merge and listed
    /// in every run's output; remove an entry once its fix is in.
    /// </summary>
    private static readonly string[] BrokenIds = ["-1", "99999999999999999999", "%2500", "abc", "1e400", "NaN", "%E4%B8%AD"];

    private static readonly string[] BrokenScalars =
    [
        "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "NaN", "1e400", "-1e400", "99999999999999999999", "-9223372036854775809",
        "9223372036854775808", "2147483648", "{}", "[]", "[null]", "true", "\"" + new string('长', 100_000) + "\"", "\"\\u0000\"", "-1", "0",
    ];

    private static readonly string[] BrokenBodies =
    [
        "", "null", "[null]", "[null,null]", "{}", "[]", "[{}]", "\"text\"", "0", "1e400", "NaN", "{\"a\":", "{{{", "[[[[[[[[[[[[]]]]]]]]]]]]",
        "\"" + new string('x', 200_000) + "\"",
    ];

    private static readonly string[] BrokenQueryValues = ["NaN", "99999999999999999999", "-1", "%00", "1e400", new string('q', 5_000)];

    private sealed record Failure(string Operation, string Case, int Status, string Body)
    {
        public override string ToString() => $"{Operation} [{Case}] → {Status}: {(Body.Length > 300 ? Body[..300] : Body)}";
    }

    private static readonly Lazy<byte[]> Bomb = new(() => ImportCapTests.ZipBomb(300L << 20));

    [SuppressMessage("Reliability", "CA2000", Justification = "MultipartFormDataContent takes ownership of its part; the caller disposes each form.")]
    private static IEnumerable<(string Name, HttpContent Content)> Files()
    {
        var bomb = Bomb.Value;
        var zipStart = bomb[..Math.Min(200, bomb.Length)];
        yield return ("non-zip xlsx", Form(Encoding.UTF8.GetBytes("this is not a zip,at all\n1,2\n"), "file.xlsx"));
        yield return ("truncated zip xlsx", Form(zipStart, "file.xlsx"));
        yield return ("zip bomb xlsx", Form(bomb, "file.xlsx"));
        yield return ("empty xlsx", Form([], "file.xlsx"));
        yield return ("empty csv", Form([], "file.csv"));
        yield return ("binary csv", Form([0, 0xFF, 0xFE, 0x00, 0x81, (byte)'\n', 0xC3], "file.csv"));
        yield return ("no file", new MultipartFormDataContent { { new StringContent("x"), "other" } });
    }

    private static MultipartFormDataContent Form(byte[] bytes, string name) => ImportCapTests.FileForm(bytes, name);

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task EveryOperation_FedBrokenInput_AnswersAProblemAndNeverA5xx(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        using var admin = await app.ClientAsync("city", Roles.Admin, People.Cangzhou);
        using var anonymous = app.Anonymous();
        var document = JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json"))!;
        var operations = Operations(document).ToList();
        Assert.True(operations.Count > 30, $"only {operations.Count} operations in the OpenAPI document");

        var failures = new List<Failure>();
        var sent = 0;
        foreach (var op in operations)
        {
            var signedIn = !SkippedSignedIn.ContainsKey(op.Name);
            foreach (var (label, path, query, content) in Cases(op, document))
            {
                foreach (var (who, client) in signedIn ? [("admin", admin), ("anonymous", anonymous)] : new[] { ("anonymous", anonymous) })
                {
                    if (who == "anonymous" && !label.StartsWith("id ", StringComparison.Ordinal) && label != "body null" && label != "body {}")
                    {
                        continue; // anonymous: a short corpus; refusals come before any binding
                    }
                    sent++;
                    var response = await SendAsync(client, op.Method, path + query, content?.Invoke());
                    var body = await response.Content.ReadAsStringAsync();
                    var status = (int)response.StatusCode;
                    if (status >= 500 || body.Contains("   at ", StringComparison.Ordinal) || body.Contains("Exception", StringComparison.Ordinal))
                    {
                        failures.Add(new Failure(op.Name, $"{who}: {label}", status, body));
                    }
                    else if (status >= 400 && (response.Content.Headers.ContentType?.MediaType != "application/problem+json" || !HasCode(body)))
                    {
                        failures.Add(new Failure(op.Name, $"{who}: {label} (not a problem with a code)", status, body));
                    }
                }
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests failed:\n" + string.Join("\n", failures.Take(60)));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task ScanBatch_WithANullItem_IsRefusedWhole_WithTheItemsIndex_AndStoresNothing(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        using var sampler = await app.ClientAsync("sampler", Roles.Sampler, People.Simazhuang);
        var before = await EventCountAsync(app);
        var batch = "[{\"clientId\":\"c-1\",\"action\":\"tube.seal\",\"tube\":\"T0000001\"},{\"clientId\":\"c-2\",\"action\":\"box.seal\",\"box\":\"B0000001\"},null]";

        using var body = new StringContent(batch, Encoding.UTF8, "application/json");
        var response = await sampler.PostAsync("/api/v1/scans/batch", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("batch_item_invalid", problem.GetProperty("code").GetString());
        Assert.Equal(2, problem.GetProperty("index").GetInt32());
        Assert.Equal(before, await EventCountAsync(app));
    }

    private static async Task<long> EventCountAsync(TestApp app)
    {
        await using var connection = await app.Store.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM events");
    }

    private static bool HasCode(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string url, HttpContent? content)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = content };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await client.SendAsync(request, timeout.Token);
    }

    private sealed record Operation(string Method, string Path, JsonNode Node)
    {
        public string Name => $"{Method} {Path}";
    }

    private static IEnumerable<Operation> Operations(JsonNode document)
    {
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, op) in item!.AsObject())
            {
                if (method is "get" or "post" or "put" or "delete" or "patch")
                {
                    yield return new Operation(method.ToUpperInvariant(), path, op!);
                }
            }
        }
    }

    /// <summary>The corpus for one operation: broken path ids, then broken query values, then broken bodies or files.</summary>
    private static IEnumerable<(string Label, string Path, string Query, Func<HttpContent>? Content)> Cases(Operation op, JsonNode document)
    {
        var parameters = op.Node["parameters"]?.AsArray().Select(p => p!).ToList() ?? [];
        var pathNames = parameters.Where(p => (string?)p["in"] == "path").Select(p => (string)p["name"]!).ToList();
        var queryNames = parameters.Where(p => (string?)p["in"] == "query").Select(p => (string)p["name"]!).ToList();
        string PathWith(string value) => pathNames.Aggregate(op.Path, (path, name) => path.Replace("{" + name + "}", value, StringComparison.Ordinal));
        var plain = PathWith("12345");
        var content = op.Node["requestBody"]?["content"]?.AsObject();
        var json = content?.FirstOrDefault(c => c.Key.Contains("json", StringComparison.Ordinal)).Value?["schema"];
        var multipart = content?.Any(c => c.Key.StartsWith("multipart/", StringComparison.Ordinal)) == true;
        Func<HttpContent>? EmptyJson() => json is null ? null : () => new StringContent("{}", Encoding.UTF8, "application/json");

        foreach (var id in pathNames.Count > 0 ? BrokenIds : [])
        {
            yield return ($"id {id}", PathWith(id), "", EmptyJson());
        }
        foreach (var name in queryNames)
        {
            foreach (var value in BrokenQueryValues)
            {
                yield return ($"query {name}={(value.Length > 20 ? "long" : value)}", plain, "?" + name + "=" + Uri.EscapeDataString(value), EmptyJson());
            }
        }
        if (json is not null)
        {
            foreach (var body in BrokenBodies)
            {
                yield return ($"body {(body.Length > 20 ? "long string" : body)}", plain, "", () => new StringContent(body, Encoding.UTF8, "application/json"));
            }
            var schema = Resolve(json, document);
            var isArray = (string?)schema?["type"] == "array" || schema?["type"] is JsonArray t && t.Any(x => (string?)x == "array");
            var properties = (isArray ? Resolve(schema!["items"], document) : schema)?["properties"]?.AsObject().Select(p => p.Key).ToList() ?? [];
            foreach (var property in properties)
            {
                foreach (var value in BrokenScalars)
                {
                    var item = $"{{\"{property}\":{value}}}";
                    var body = isArray ? $"[{item}]" : item;
                    yield return ($"{property}={(value.Length > 20 ? "long" : value)}", plain, "", () => new StringContent(body, Encoding.UTF8, "application/json"));
                }
            }
        }
        if (multipart)
        {
            foreach (var (name, file) in Files())
            {
                yield return ($"file {name}", plain, "", () => file);
            }
        }
        if (json is null && !multipart && op.Method is "POST" or "PUT")
        {
            yield return ("body null", plain, "", () => new StringContent("null", Encoding.UTF8, "application/json"));
        }
    }

    private static JsonNode? Resolve(JsonNode? schema, JsonNode document)
    {
        for (var depth = 0; depth < 5 && schema?["$ref"] is { } reference; depth++)
        {
            schema = document["components"]!["schemas"]![((string)reference!).Split('/')[^1]];
        }
        return schema;
    }
}
