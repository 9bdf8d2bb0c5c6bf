namespace Fangyi.Features.Vaccination;

/// <summary>One vaccination dose (剂次) as it is kept: the person, which dose, when, and the vaccine's name.</summary>
public sealed record DoseRecord(long ResidentId, int Dose, long At, string Vaccine);
