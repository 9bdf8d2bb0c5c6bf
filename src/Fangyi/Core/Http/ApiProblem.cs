using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Fangyi.Core.Http;

/// <summary>
/// A refusal the platform can give: a stable machine code, the HTTP status, and the Chinese sentence shown to
/// the person holding the phone. Rendered as RFC 7807 problem details with <c>code</c> as an extension.
/// </summary>
public sealed record ApiProblem(string Code, int Status, string Title, string? Detail = null)
{
    /// <summary>Which item of a list was refused, for refusals of a whole batch.</summary>
    public int? Index { get; init; }

    public ApiProblem WithDetail(string detail) => this with { Detail = detail };

    public ProblemHttpResult ToResult() => TypedResults.Problem(ToDetails());

    public ProblemDetails ToDetails()
    {
        var details = new ProblemDetails
        {
            Type = $"https://fangyi.example/problems/{Code}",
            Status = Status,
            Title = Title,
            Detail = Detail,
        };
        details.Extensions["code"] = Code;
        if (Index is { } index)
        {
            details.Extensions["index"] = index;
        }
        return details;
    }
}
