namespace Fangyi.Features.Residents;

/// <summary>A resident as staff see it: the identity number and phone masked.</summary>
public sealed record ResidentView(long Id, string DocType, string IdMasked, string Name, string? Gender, string? PhoneMasked, long Division, string DivisionPath, bool Registered, IReadOnlyList<string> Tags, long UpdatedAt);
