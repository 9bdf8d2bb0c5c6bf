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

// One vaccination dose (剂次) given on a date.
public sealed record VaccinationDose(long ResidentId, int Dose, long At, string Vaccine) : FactWrite(ResidentId);
