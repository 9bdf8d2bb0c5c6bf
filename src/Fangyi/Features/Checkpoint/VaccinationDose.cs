namespace Fangyi.Features.Checkpoint;

// One vaccination dose (剂次) given on a date.
public sealed record VaccinationDose(long ResidentId, int Dose, long At, string Vaccine) : FactWrite(ResidentId);
