using System.Text.Json.Serialization;
using Dapper;
using Fangyi.Core.Ingest;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Status;
using Fangyi.Core.Storage;
using Fangyi.Features.Arrivals;
using Fangyi.Features.Residents;
using Fangyi.Features.Vaccination;

namespace Fangyi.Features.Checkpoint;

// A colour change from the provincial feed: the colour, since when, and why.
public sealed record ColourChange(long ResidentId, string Colour, long Since, string Reason) : FactWrite(ResidentId);
