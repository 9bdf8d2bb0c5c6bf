using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Ingest;
using Fangyi.Core.Status;
using Fangyi.Features.Divisions;
using Fangyi.Features.Residents;
using Microsoft.AspNetCore.Mvc;

namespace Fangyi.Features.Checkpoint;

public sealed record PlaceView(string Name, string Category)
{
    public string CategoryName { get; init; } = "";
}
