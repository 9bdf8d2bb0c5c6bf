namespace Fangyi.Features.Residents;

// A resident as submitted by an import row or the API, before validation.
public sealed record ResidentInput(string? DocType, string? IdNumber, string? Name, string? Phone, string? Division, string? Registered, string? Tags);
