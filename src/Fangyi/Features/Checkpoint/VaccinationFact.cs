namespace Fangyi.Features.Checkpoint;

public sealed record VaccinationFact(int Doses, long? LastDoseAt)
{
    public int RequiredDoses { get; init; }
}
