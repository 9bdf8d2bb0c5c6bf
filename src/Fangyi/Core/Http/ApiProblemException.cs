using System.Diagnostics.CodeAnalysis;

namespace Fangyi.Core.Http;

/// <summary>
/// A refusal raised from deep inside a reader (a file that is not what it claims to be); the host's exception
/// handler answers it as its problem, and a background import reports its title.
/// </summary>
[SuppressMessage("Design", "CA1032", Justification = "The exception exists to carry its problem; one without it would answer nothing.")]
public sealed class ApiProblemException(ApiProblem problem) : Exception(problem.Title + (problem.Detail is null ? "" : "：" + problem.Detail))
{
    public ApiProblem Problem { get; } = problem;
}
