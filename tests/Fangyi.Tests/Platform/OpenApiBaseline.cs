using System.Text.Json.Nodes;

namespace Fangyi.Tests.Platform;

/// <summary>
/// Compares a live OpenAPI document with the baseline (openapi-baseline.json, the document before summaries and
/// typed responses were added) and lists what a client of the baseline would notice:
/// <list type="number">
/// <item>a baseline operation is gone;</item>
/// <item>its parameters differ: not the same (in, name) pairs, or one's <c>required</c> or schema changed;</item>
/// <item>its request body differs: <c>required</c>, media types, or a media type's schema;</item>
/// <item>a baseline response status or media type is gone, or its schema no longer admits what the baseline said;</item>
/// <item>a baseline component schema a request body or parameter reaches is gone or changed; any other baseline
/// component still in the document changed other than by typing what was open.</item>
/// </list>
/// Allowed, so not listed: summaries and descriptions, new operations, new components, new response statuses and
/// media types, new properties in what a response carries (a client of the baseline reads past what it does not
/// know), and typing what the baseline left open (an empty schema <c>{}</c>, or an array without items). A
/// component the responses no longer use may go: rule 4 checks the responses that used it.
/// Schemas are compared with every <c>$ref</c> resolved, so the comparison is of what travels, not of names.
/// </summary>
public static class OpenApiBaseline
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    public static List<string> Differences(JsonNode baseline, JsonNode live)
    {
        var differences = new List<string>();
        var liveOperations = Operations(live);
        foreach (var (name, before) in Operations(baseline))
        {
            if (!liveOperations.TryGetValue(name, out var after))
            {
                differences.Add($"{name}: the operation is gone");
                continue;
            }
            CompareParameters(name, before, after, baseline, live, differences);
            CompareRequestBody(name, before["requestBody"], after["requestBody"], baseline, live, differences);
            CompareResponses(name, before["responses"], after["responses"], baseline, live, differences);
        }
        CompareComponents(baseline, live, differences);
        return differences;
    }

    public static Dictionary<string, JsonNode> Operations(JsonNode document)
    {
        var operations = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var (path, item) in document["paths"]?.AsObject() ?? [])
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                if (Methods.Contains(method, StringComparer.Ordinal))
                {
                    operations[$"{method.ToUpperInvariant()} {path}"] = operation!;
                }
            }
        }
        return operations;
    }

    private static void CompareParameters(string name, JsonNode before, JsonNode after, JsonNode baseline, JsonNode live, List<string> differences)
    {
        var was = ParametersOf(before);
        var now = ParametersOf(after);
        foreach (var key in was.Keys.Except(now.Keys))
        {
            differences.Add($"{name}: parameter {key} is gone");
        }
        foreach (var key in now.Keys.Except(was.Keys))
        {
            differences.Add($"{name}: parameter {key} is new");
        }
        foreach (var key in was.Keys.Intersect(now.Keys))
        {
            if (Required(was[key]) != Required(now[key]))
            {
                differences.Add($"{name}: parameter {key}: required {Required(was[key])} → {Required(now[key])}");
            }
            var schemaBefore = Resolve(was[key]["schema"], baseline);
            var schemaAfter = Resolve(now[key]["schema"], live);
            if (!JsonNode.DeepEquals(schemaBefore, schemaAfter))
            {
                differences.Add($"{name}: parameter {key}: schema {Text(schemaBefore)} → {Text(schemaAfter)}");
            }
        }
    }

    private static Dictionary<string, JsonNode> ParametersOf(JsonNode operation) =>
        (operation["parameters"]?.AsArray() ?? []).ToDictionary(p => $"{(string?)p!["in"]} {(string?)p["name"]}", p => p!, StringComparer.Ordinal);

    private static bool Required(JsonNode? node) => (bool?)node?["required"] ?? false;

    private static void CompareRequestBody(string name, JsonNode? before, JsonNode? after, JsonNode baseline, JsonNode live, List<string> differences)
    {
        if (before is null && after is null)
        {
            return;
        }
        if (before is null || after is null)
        {
            differences.Add($"{name}: request body {(before is null ? "is new" : "is gone")}");
            return;
        }
        if (Required(before) != Required(after))
        {
            differences.Add($"{name}: request body: required {Required(before)} → {Required(after)}");
        }
        var was = before["content"]?.AsObject() ?? [];
        var now = after["content"]?.AsObject() ?? [];
        foreach (var (media, content) in was)
        {
            if (!now.TryGetPropertyValue(media, out var current))
            {
                differences.Add($"{name}: request body {media} is gone");
                continue;
            }
            var schemaBefore = Resolve(content!["schema"], baseline);
            var schemaAfter = Resolve(current!["schema"], live);
            if (!SameRequest(schemaBefore, schemaAfter))
            {
                differences.Add($"{name}: request body {media}: schema {Text(schemaBefore)} → {Text(schemaAfter)}");
            }
        }
        foreach (var (media, _) in now.Where(m => !was.ContainsKey(m.Key)))
        {
            differences.Add($"{name}: request body {media} is new");
        }
    }

    private static void CompareResponses(string name, JsonNode? before, JsonNode? after, JsonNode baseline, JsonNode live, List<string> differences)
    {
        foreach (var (status, response) in before?.AsObject() ?? [])
        {
            if (after?[status] is not { } current)
            {
                differences.Add($"{name}: response {status} is gone");
                continue;
            }
            foreach (var (media, content) in response!["content"]?.AsObject() ?? [])
            {
                if (current["content"]?[media] is not { } now)
                {
                    differences.Add($"{name}: response {status} {media} is gone");
                    continue;
                }
                var schemaBefore = Resolve(content!["schema"], baseline);
                var schemaAfter = Resolve(now["schema"], live);
                if (!Admits(schemaBefore, schemaAfter))
                {
                    differences.Add($"{name}: response {status} {media}: schema {Text(schemaBefore)} → {Text(schemaAfter)}");
                }
            }
        }
    }

    private static void CompareComponents(JsonNode baseline, JsonNode live, List<string> differences)
    {
        var inputs = InputComponents(baseline);
        var now = live["components"]?["schemas"]?.AsObject();
        foreach (var (name, schema) in baseline["components"]?["schemas"]?.AsObject() ?? [])
        {
            var current = now?[name];
            if (inputs.Contains(name))
            {
                if (current is null)
                {
                    differences.Add($"component {name} (used by requests) is gone");
                }
                else if (!SameRequest(Resolve(schema, baseline), Resolve(current, live)))
                {
                    differences.Add($"component {name} (used by requests): {Text(Resolve(schema, baseline))} → {Text(Resolve(current, live))}");
                }
            }
            else if (current is not null && !Admits(Resolve(schema, baseline), Resolve(current, live)))
            {
                differences.Add($"component {name}: {Text(Resolve(schema, baseline))} → {Text(Resolve(current, live))}");
            }
        }
    }

    /// <summary>The components a request body or a parameter reaches, directly or through other components.</summary>
    private static HashSet<string> InputComponents(JsonNode document)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<JsonNode?>();
        foreach (var operation in Operations(document).Values)
        {
            pending.Push(operation["requestBody"]);
            pending.Push(operation["parameters"]);
        }
        while (pending.TryPop(out var node))
        {
            switch (node)
            {
                case JsonObject obj when obj["$ref"] is JsonValue reference:
                    var name = ComponentName((string)reference!);
                    if (found.Add(name))
                    {
                        pending.Push(document["components"]?["schemas"]?[name]);
                    }
                    break;
                case JsonObject obj:
                    foreach (var (_, child) in obj)
                    {
                        pending.Push(child);
                    }
                    break;
                case JsonArray array:
                    foreach (var child in array)
                    {
                        pending.Push(child);
                    }
                    break;
            }
        }
        return found;
    }

    /// <summary>
    /// Does a request schema take what the baseline's clients send, as the baseline said it? The same schema, but
    /// for properties the baseline did not know that need not be sent (a client of the baseline leaves them out).
    /// </summary>
    public static bool SameRequest(JsonNode? before, JsonNode? after) => JsonNode.DeepEquals(before, WithoutNewOptional(before, after));

    private static JsonNode? WithoutNewOptional(JsonNode? before, JsonNode? after)
    {
        if (before is not JsonObject was || after is not JsonObject now)
        {
            return after?.DeepClone();
        }
        var copy = new JsonObject();
        foreach (var (key, value) in now)
        {
            if (key is "properties" && value is JsonObject properties && was[key] is JsonObject known)
            {
                var required = now["required"] is JsonArray r ? r.Select(x => x?.GetValue<string>()).ToHashSet() : [];
                var kept = new JsonObject();
                foreach (var (property, schema) in properties)
                {
                    if (known.ContainsKey(property) || required.Contains(property))
                    {
                        kept[property] = WithoutNewOptional(known[property], schema);
                    }
                }
                copy[key] = kept;
            }
            else
            {
                copy[key] = WithoutNewOptional(was[key], value);
            }
        }
        return copy;
    }

    /// <summary>
    /// Does the live schema say what the baseline said, typing at most what the baseline left open? An empty
    /// baseline schema admits any schema, an array without items any items; everything else must match.
    /// </summary>
    public static bool Admits(JsonNode? before, JsonNode? after)
    {
        if (before is JsonObject { Count: 0 })
        {
            return true;
        }
        if (before is not JsonObject was || after is not JsonObject now)
        {
            return JsonNode.DeepEquals(before, after);
        }
        if (IsArray(was) && !was.ContainsKey("items") && now.ContainsKey("items"))
        {
            was = (JsonObject)was.DeepClone();
            was["items"] = new JsonObject();
        }
        if (!was.Select(p => p.Key).Order(StringComparer.Ordinal).SequenceEqual(now.Select(p => p.Key).Where(k => k != "required" || was.ContainsKey(k)).Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            return false;
        }
        foreach (var (key, value) in was)
        {
            var other = now[key];
            var same = key switch
            {
                // What the baseline said is still there as it said; new properties may come beside it.
                "properties" => value is JsonObject properties && other is JsonObject otherProperties
                    && properties.All(p => otherProperties.ContainsKey(p.Key) && Admits(p.Value, otherProperties[p.Key])),
                "required" => value is JsonArray required && other is JsonArray otherRequired
                    && required.All(r => otherRequired.Any(o => JsonNode.DeepEquals(r, o)))
                    && otherRequired.All(o => required.Any(r => JsonNode.DeepEquals(r, o)) || was["properties"]?[o!.GetValue<string>()] is null),
                "patternProperties" => value is JsonObject patterns && other is JsonObject otherPatterns
                    && patterns.Count == otherPatterns.Count && patterns.All(p => otherPatterns.ContainsKey(p.Key) && Admits(p.Value, otherPatterns[p.Key])),
                "items" or "additionalProperties" or "not" => Admits(value, other),
                "anyOf" or "oneOf" or "allOf" => value is JsonArray choices && other is JsonArray otherChoices
                    && choices.Count == otherChoices.Count && choices.Zip(otherChoices).All(c => Admits(c.First, c.Second)),
                _ => JsonNode.DeepEquals(value, other),
            };
            if (!same)
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsArray(JsonObject schema) =>
        schema["type"] is JsonValue type ? (string?)type == "array" : schema["type"] is JsonArray types && types.Any(t => (string?)t == "array");

    /// <summary>
    /// A copy of the schema with every <c>$ref</c> replaced by the component it names and every description left
    /// out. A component met again inside itself stays a <c>$ref</c>, so recursive schemas end.
    /// </summary>
    public static JsonNode? Resolve(JsonNode? schema, JsonNode document) => Resolve(schema, document, [], names: false);

    /// <param name="names">The node maps names to schemas (<c>properties</c>): a property called "description" is kept.</param>
    private static JsonNode? Resolve(JsonNode? node, JsonNode document, HashSet<string> open, bool names)
    {
        switch (node)
        {
            case JsonObject obj when !names && obj["$ref"] is JsonValue reference:
                var name = ComponentName((string)reference!);
                if (!open.Add(name))
                {
                    return new JsonObject { ["$ref"] = name };
                }
                var target = document["components"]?["schemas"]?[name];
                var resolved = target is null ? new JsonObject { ["$ref (missing)"] = name } : Resolve(target, document, open, names: false);
                open.Remove(name);
                return resolved;
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, child) in obj.Where(p => names || p.Key != "description"))
                {
                    copy[key] = Resolve(child, document, open, names: !names && key is "properties" or "patternProperties");
                }
                return copy;
            case JsonArray array:
                return new JsonArray(array.Select(child => Resolve(child, document, open, names: false)).ToArray());
            default:
                return node?.DeepClone();
        }
    }

    private static string ComponentName(string reference) => reference.Split('/')[^1];

    private static string Text(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "(none)";
        return text.Length > 300 ? text[..300] + "…" : text;
    }
}
