namespace Fangyi.Features.Residents;

public sealed record ResidentIdentity(long Id, string DocType, string IdNumber, string? Phone, long Division);
