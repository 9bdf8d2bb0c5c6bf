using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Ingest;
using Fangyi.Core.Status;
using Fangyi.Features.Divisions;
using Fangyi.Features.Residents;
using Microsoft.AspNetCore.Mvc;

namespace Fangyi.Features.Checkpoint;

public sealed record TravelFact(bool FromRiskArea, string? Area, long? ArrivedAt)
{
    // medium or high, when the arrival was from a risk area.
    public string? Level { get; init; }
}
