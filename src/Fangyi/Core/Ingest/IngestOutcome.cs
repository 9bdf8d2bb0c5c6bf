using System.Text.Json;

namespace Fangyi.Core.Ingest;

/// <summary>
/// What was answered for an item. A repeat of a client id gets the first answer, marked as a repeat. The body is
/// kept as the JSON text it was stored as and written to the response as it is; it is parsed only when asked.
/// </summary>
public sealed record IngestOutcome(bool Accepted, int Status, string BodyJson, bool Repeat)
{
    private JsonElement? _body;

    public IngestOutcome(bool Accepted, int Status, JsonElement Body, bool Repeat)
        : this(Accepted, Status, Body.GetRawText(), Repeat) => _body = Body;

    public JsonElement Body => _body ??= JsonSerializer.Deserialize<JsonElement>(BodyJson);

    public IResult ToResult() => TypedResults.Text(BodyJson, Accepted ? "application/json; charset=utf-8" : "application/problem+json; charset=utf-8",
        System.Text.Encoding.UTF8, Status);
}
