using System.Text.Json.Nodes;

namespace Fangyi.Tests.Platform;

/// <summary>The baseline comparison itself: each change a client would notice is listed, and only those.</summary>
public class OpenApiBaselineTests
{
    private static JsonNode Baseline() => JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Platform", "openapi-baseline.json")))!;

    private static List<string> AfterChanging(Action<JsonNode> change)
    {
        var live = Baseline();
        change(live);
        return OpenApiBaseline.Differences(Baseline(), live);
    }

    private static JsonNode Schemas(JsonNode document) => document["components"]!["schemas"]!;

    [Fact]
    public void TheBaselineAgainstItself_HasNoDifferences() => Assert.Empty(OpenApiBaseline.Differences(Baseline(), Baseline()));

    [Fact]
    public void WhatAClientWouldNotice_IsListed_OneLineEach()
    {
        Assert.Equal(["GET /api/v1/residents: the operation is gone"],
            AfterChanging(d => d["paths"]!["/api/v1/residents"]!.AsObject().Remove("get")));
        Assert.Equal(["GET /api/v1/residents: parameter query q: schema {} → {\"type\":\"integer\"}"],
            AfterChanging(d => d["paths"]!["/api/v1/residents"]!["get"]!["parameters"]![1]!["schema"] = new JsonObject { ["type"] = "integer" }));
        Assert.Equal(["GET /api/v1/residents: parameter query q: required False → True"],
            AfterChanging(d => d["paths"]!["/api/v1/residents"]!["get"]!["parameters"]![1]!["required"] = true));
        Assert.Equal(["GET /api/v1/residents: parameter query q is gone", "GET /api/v1/residents: parameter query text is new"],
            AfterChanging(d => d["paths"]!["/api/v1/residents"]!["get"]!["parameters"]![1]!["name"] = "text"));
        Assert.Equal(["POST /api/v1/scans: request body: required True → False"],
            AfterChanging(d => d["paths"]!["/api/v1/scans"]!["post"]!["requestBody"]!["required"] = false));

        // A request's component: the operations that send it and the component itself.
        var renamed = AfterChanging(d =>
        {
            var properties = Schemas(d)["ScanRequest"]!["properties"]!.AsObject();
            properties.Remove("tube");
            properties["tubeCode"] = new JsonObject();
        });
        Assert.Equal(3, renamed.Count);
        Assert.StartsWith("POST /api/v1/scans: request body application/json: schema ", renamed[0], StringComparison.Ordinal);
        Assert.StartsWith("POST /api/v1/scans/batch: request body application/json: schema ", renamed[1], StringComparison.Ordinal);
        Assert.StartsWith("component ScanRequest (used by requests): ", renamed[2], StringComparison.Ordinal);
        Assert.Equal(["component ScanRequest (used by requests) is gone"],
            AfterChanging(d => Schemas(d).AsObject().Remove("ScanRequest")).Where(l => l.StartsWith("component", StringComparison.Ordinal)));

        // An answer's component, typed where the baseline said something: the operations that answer it and the component.
        var retyped = AfterChanging(d => Schemas(d)["RoundView"]!["properties"]!["id"] = new JsonObject { ["type"] = "string" });
        Assert.Equal(2, retyped.Count);
        Assert.StartsWith("POST /api/v1/sampling/rounds: response 201 application/json: schema ", retyped[0], StringComparison.Ordinal);
        Assert.StartsWith("component RoundView: ", retyped[1], StringComparison.Ordinal);
        Assert.Equal(["GET /api/v1/residents/{id}: response 200 is gone"],
            AfterChanging(d => d["paths"]!["/api/v1/residents/{id}"]!["get"]!["responses"]!.AsObject().Remove("200")));
        Assert.Equal(["GET /api/v1/residents/{id}: response 200 application/json is gone"],
            AfterChanging(d => d["paths"]!["/api/v1/residents/{id}"]!["get"]!["responses"]!["200"]!["content"] = new JsonObject { ["text/plain"] = new JsonObject() }));
    }

    [Fact]
    public void WhatAClientWouldNotNotice_IsNotListed()
    {
        Assert.Empty(AfterChanging(d =>
        {
            var scans = d["paths"]!["/api/v1/scans"]!["post"]!;
            scans["summary"] = "Registers one scan";
            scans["responses"]!["200"]!["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/ScanAnswer" } } };
            scans["responses"]!["201"] = new JsonObject { ["description"] = "Created" };
            d["paths"]!["/api/v1/residents"]!["get"]!["parameters"]![1]!["description"] = "a name";
            Schemas(d)["ScanAnswer"] = new JsonObject { ["type"] = "object" };
            // Typed where the baseline was open: a list component, an untyped property, an array without items.
            Schemas(d)["ListOfRoundView"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["$ref"] = "#/components/schemas/RoundView" } };
            Schemas(d)["CustodyHistory"]!["properties"]!["current"] = new JsonObject { ["type"] = "object" };
            Schemas(d)["CustodyHistory"]!["properties"]!["tubes"]!["items"] = new JsonObject { ["type"] = "object" };
            d["paths"]!["/api/v1/new"] = new JsonObject { ["get"] = new JsonObject { ["responses"] = new JsonObject() } };
        }));
        // An answer's component no operation uses any more may go; the answers that used it are compared by themselves.
        Assert.Empty(AfterChanging(d =>
        {
            Schemas(d).AsObject().Remove("CustodyHistory");
            string[] kinds = ["boxes", "tubes"];
            foreach (var kind in kinds)
            {
                d["paths"]![$"/api/v1/sampling/{kind}/{{code}}/history"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"] = "#/components/schemas/CustodyCopy";
            }
            Schemas(d)["CustodyCopy"] = Baseline()["components"]!["schemas"]!["CustodyHistory"]!.DeepClone();
        }));
    }

    [Fact]
    public void Admits_OpensOnlyWhereTheBaselineWasOpen()
    {
        Assert.True(OpenApiBaseline.Admits(new JsonObject(), JsonNode.Parse("""{"type":"string"}""")));
        Assert.True(OpenApiBaseline.Admits(JsonNode.Parse("""{"type":"array"}"""), JsonNode.Parse("""{"type":"array","items":{"type":"string"}}""")));
        Assert.True(OpenApiBaseline.Admits(JsonNode.Parse("""{"properties":{"a":{}}}"""), JsonNode.Parse("""{"properties":{"a":{"type":"string"}}}""")));
        // A response may carry more than the baseline knew: its clients read past it.
        Assert.True(OpenApiBaseline.Admits(JsonNode.Parse("""{"properties":{}}"""), JsonNode.Parse("""{"properties":{"a":{}}}""")));
        Assert.True(OpenApiBaseline.Admits(JsonNode.Parse("""{"properties":{"a":{}},"required":["a"]}"""), JsonNode.Parse("""{"properties":{"a":{},"b":{}},"required":["a","b"]}""")));
        // But what the baseline promised stays promised.
        Assert.False(OpenApiBaseline.Admits(JsonNode.Parse("""{"properties":{"a":{},"b":{}}}"""), JsonNode.Parse("""{"properties":{"a":{}}}""")));
        Assert.False(OpenApiBaseline.Admits(JsonNode.Parse("""{"properties":{"a":{}},"required":["a"]}"""), JsonNode.Parse("""{"properties":{"a":{}}}""")));
        Assert.False(OpenApiBaseline.Admits(JsonNode.Parse("""{"properties":{"a":{}}}"""), JsonNode.Parse("""{"properties":{"b":{}}}""")));
        Assert.False(OpenApiBaseline.Admits(JsonNode.Parse("""{"type":"string"}"""), JsonNode.Parse("""{"type":"integer"}""")));
        Assert.True(OpenApiBaseline.Admits(JsonNode.Parse("""{"type":"object"}"""), JsonNode.Parse("""{"type":"object","required":["a"]}""")));
        Assert.False(OpenApiBaseline.Admits(JsonNode.Parse("""{"type":"object","required":["a"]}"""), JsonNode.Parse("""{"type":"object","required":["b"]}""")));
    }
}
