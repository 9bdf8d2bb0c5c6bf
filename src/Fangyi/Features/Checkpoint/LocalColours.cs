using Fangyi.Core.Storage;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Fangyi.Core.Status;

namespace Fangyi.Features.Checkpoint;

public sealed record LocalColours
{
    /// <summary>The colour at least, while a person's latest result is positive.</summary>
    public string Positive { get; init; } = "red";

    /// <summary>The colour at least, while a person's latest result is mixed-positive awaiting the single-tube retest.</summary>
    public string MixedPositive { get; init; } = "red";
}
