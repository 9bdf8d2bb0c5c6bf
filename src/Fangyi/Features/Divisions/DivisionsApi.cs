using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fangyi.Features.Divisions;

public static class DivisionsApi
{
    public sealed record DivisionView(long Code, string Name, string Level, string LevelName, long? Parent, string Path, bool HasChildren);
    public sealed record AddressRequest(string? Address);

    public static readonly ApiProblem UnknownDivision = new("division_unknown", 404, "区划代码不存在");
    public static readonly ApiProblem AddressEmpty = new("address_empty", 400, "请输入地址");

    public static DivisionView View(this DivisionTree tree, Division d) =>
        new(d.Code, d.Name, d.Level.ToString().ToLowerInvariant(), Division.LevelNames[d.Level], d.Parent, tree.PathName(d.Code), tree.Children(d.Code).Count > 0);

    // The standard address service (标准地址服务): the division tree, full paths, search, and address matching.
    public static IEndpointRouteBuilder MapDivisions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/divisions").WithTags("Divisions").RequireAuthorization(Policies.Staff);
        group.MapGet("/", (DivisionDirectory divisions) => TypedResults.Ok(divisions.Tree.Roots.Select(divisions.Tree.View).ToList()))
            .WithSummary("Lists the top divisions of the tree (the province or city), for any signed-in account");
        group.MapGet("/{code:long}", Results<Ok<DivisionView>, ProblemHttpResult> (long code, DivisionDirectory divisions) =>
            divisions.Tree.Find(code) is { } d ? TypedResults.Ok(divisions.Tree.View(d)) : UnknownDivision.ToResult())
            .WithSummary("Reads one division by its 12-digit code: name, level and full path");
        group.MapGet("/{code:long}/children", Results<Ok<List<DivisionView>>, ProblemHttpResult> (long code, DivisionDirectory divisions) =>
            divisions.Tree.Find(code) is null
                ? UnknownDivision.ToResult()
                : TypedResults.Ok(divisions.Tree.Children(code).Select(divisions.Tree.View).ToList()))
            .WithSummary("Lists the divisions directly under a division, for pickers that walk down the tree");
        group.MapGet("/{code:long}/path", Results<Ok<List<DivisionView>>, ProblemHttpResult> (long code, DivisionDirectory divisions) =>
            divisions.Tree.Find(code) is null
                ? UnknownDivision.ToResult()
                : TypedResults.Ok(divisions.Tree.Path(code).Select(divisions.Tree.View).ToList()))
            .WithSummary("Lists a division's ancestors from the top of the tree down to the division itself");
        group.MapGet("/search", (string? q, long? within, int? limit, DivisionDirectory divisions) =>
            TypedResults.Ok(divisions.Tree.Search(q ?? "", Math.Clamp(limit ?? 20, 1, 200), within).Select(divisions.Tree.View).ToList()))
            .WithSummary("Finds divisions by name, optionally within one division, for type-ahead pickers");

        app.MapPost("/api/v1/addresses/resolve", Results<Ok<AddressMatch>, ProblemHttpResult> (AddressRequest request, DivisionCatalog divisions) =>
                string.IsNullOrWhiteSpace(request.Address) || request.Address.Length > 200
                    ? AddressEmpty.ToResult()
                    : TypedResults.Ok(divisions.Matcher.Resolve(request.Address)))
            .WithTags("Divisions").RequireAuthorization(Policies.Staff)
            .WithSummary("Matches a free-text address to the division it lies in, with candidates and their confidence");
        return app;
    }
}
