namespace Fangyi.Features.Residents;

// What another capability may show of a resident: the full name (to be masked where it is shown) and the masked document number.
public sealed record ResidentName(long Id, string Name, string IdMasked);
