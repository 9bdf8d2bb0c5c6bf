namespace Fangyi.Features.Checkpoint;

public sealed record VaccinationSaved(long ResidentId, int Doses, long LastDoseAt);
