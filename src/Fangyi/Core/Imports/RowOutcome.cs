using System.Text.Json;
using System.Text.Json.Serialization;
using Fangyi.Core.Ingest;

namespace Fangyi.Core.Imports;

/// <summary>
/// What became of one row of an upload: its number (as the sheet shows it, or its place in the request), whether it
/// was taken, the status its own request would have had, and either the answer or the problem's code and reason.
/// </summary>
public sealed record RowOutcome(int Row, bool Accepted, int Status, string? Code, string? Reason, JsonElement? Result)
{
    /// <summary>The tube a lab's result row named: the lab's own key for the row, so it is told with the outcome.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Tube { get; init; }

    /// <summary>The outcome of a row queued as an ingest item; <paramref name="withAnswer"/> false keeps the answer's body out of it.</summary>
    public static RowOutcome Of(int row, IngestOutcome outcome, bool withAnswer = true)
    {
        if (outcome.Accepted)
        {
            return new RowOutcome(row, true, outcome.Status, null, null, withAnswer ? outcome.Body : null);
        }
        var body = outcome.Body;
        var reason = body.GetProperty("title").GetString() + (body.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? "：" + d.GetString() : "");
        return new RowOutcome(row, false, outcome.Status, body.GetProperty("code").GetString(), reason, null);
    }
}
