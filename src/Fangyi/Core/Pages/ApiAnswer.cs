using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Fangyi.Core.Pages;

/// <summary>
/// What a feature's endpoint handler answered, read by a page that calls the handler directly: the value of an
/// Ok or Created, or the problem's sentence for the person at the screen.
/// </summary>
public static class ApiAnswer
{
    public static T? Value<T>(IResult result) where T : class => (result as IValueHttpResult<T>)?.Value;

    public static string? Problem(IResult result) => result is ProblemHttpResult problem ? Sentence(problem.ProblemDetails) : null;

    public static int Status(IResult result) => (result as IStatusCodeHttpResult)?.StatusCode ?? 200;

    public static string Sentence(ProblemDetails details) =>
        details.Detail is { Length: > 0 } detail && detail != details.Title ? $"{details.Title}：{detail}" : details.Title ?? "请求失败";
}
