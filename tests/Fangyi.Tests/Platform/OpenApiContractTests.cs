using System.Text.Json.Nodes;
using Fangyi.Core.Http;
using Fangyi.Tests.Support;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;

namespace Fangyi.Tests.Platform;

/// <summary>
/// The OpenAPI document is the contract for labs, the provincial feed and other systems: every operation says what
/// it does and what it answers, and nothing a client of the earlier document relies on has changed.
/// </summary>
public sealed class OpenApiContractTests(OpenApiContractTests.Host host) : IClassFixture<OpenApiContractTests.Host>
{
    public sealed class Host : IAsyncLifetime
    {
        public TestApp App { get; private set; } = null!;
        public JsonNode Document { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            App = await TestApp.StartAsync(StoreKind.Sqlite);
            using var client = App.Anonymous();
            Document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        }

        public async Task DisposeAsync() => await App.DisposeAsync();
    }

    private static JsonNode Baseline() => JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Platform", "openapi-baseline.json")))!;

    [Fact]
    public void EveryOperation_HasASummary_AndA2xxAnswerWhoseContentHasASchema()
    {
        var faults = new List<string>();
        foreach (var (name, operation) in OpenApiBaseline.Operations(host.Document))
        {
            var summary = (string?)operation["summary"];
            if (string.IsNullOrWhiteSpace(summary))
            {
                faults.Add($"{name}: no summary");
            }
            else if (summary.Contains('\n', StringComparison.Ordinal) || summary.Any(c => c is >= '\u4e00' and <= '\u9fff'))
            {
                faults.Add($"{name}: the summary is not one line of English: {summary}");
            }
            var answers = (operation["responses"]?.AsObject() ?? []).Where(r => r.Key.StartsWith('2')).ToList();
            if (answers.Count == 0)
            {
                faults.Add($"{name}: no 2xx response");
            }
            foreach (var (status, response) in answers)
            {
                var content = response!["content"]?.AsObject();
                if (content is null or { Count: 0 })
                {
                    // 202 Accepted and 204 No Content may carry nothing; any other success answers with something.
                    if (status is not ("202" or "204"))
                    {
                        faults.Add($"{name}: response {status} declares no content (declare its type, or 204 if it has none)");
                    }
                    continue;
                }
                foreach (var (media, body) in content)
                {
                    var schema = OpenApiBaseline.Resolve(body?["schema"], host.Document);
                    if (schema is null || (media.Contains("json", StringComparison.Ordinal) && schema is JsonObject { Count: 0 }))
                    {
                        faults.Add($"{name}: response {status} {media} has no schema");
                    }
                }
            }
        }
        Assert.True(faults.Count == 0, $"{faults.Count} faults in the OpenAPI document:\n" + string.Join("\n", faults));
    }

    /// <summary>Differences from the baseline that correct it, and why; each is matched by how its line starts.</summary>
    private static readonly Dictionary<string, string> Corrections = new(StringComparer.Ordinal)
    {
        ["POST /api/v1/checkpoint/places: response 201 application/json: schema "] =
            "the baseline described the new place with the dashboard's division node, because both types were named Place; the answer is the checkpoint's place, as it always was",
        ["component Place: "] = "the same: once one of the two types is renamed, the name Place is the checkpoint's place alone",
        ["GET /api/v1/sampling/rounds/{id}/coverage: response 200 application/json: schema "] =
            "coverage gained the visited not-sampled and their reasons (visited, visits, from the door-to-door tasks) beside every field it had; nothing a client read changed",
        ["component Coverage: "] = "the same two fields, added",
        ["component Part: "] = "the same two fields per child division, added",
    };

    [Fact]
    public void TheDocument_KeepsTheBaselinesOperationsParametersRequestsAndSchemas()
    {
        var differences = OpenApiBaseline.Differences(Baseline(), host.Document)
            .Where(d => !Corrections.Keys.Any(c => d.StartsWith(c, StringComparison.Ordinal))).ToList();

        Assert.True(differences.Count == 0, $"{differences.Count} differences from Platform/openapi-baseline.json:\n" + string.Join("\n", differences));
    }

    /// <summary>
    /// The generator names a schema after its type's short name; two types of one name (two records called RowOutcome)
    /// would share one component, and one of them would be described as the other (see SchemaNames).
    /// </summary>
    [Fact]
    public void NoTwoTypesOfTheApi_ShareASchemaName()
    {
        var json = host.App.Get<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var options = host.App.Get<IOptionsMonitor<OpenApiOptions>>().Get("v1");
        var types = SchemaNames.ApiTypes(host.App.Services, json).ToList();

        var shared = types.GroupBy(t => options.CreateSchemaReferenceId(json.GetTypeInfo(t)))
            .Where(g => g.Key is not null && g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(t => t.FullName))}").ToList();
        Assert.True(shared.Count == 0, "Schema names shared by several types:\n" + string.Join("\n", shared));
        Assert.Contains(typeof(Fangyi.Features.Sampling.PersonAdded), types);
    }
}
