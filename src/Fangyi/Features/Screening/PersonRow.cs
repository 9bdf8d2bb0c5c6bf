namespace Fangyi.Features.Screening;

/// <summary>A person as a source writes them: an ID number, a phone, a name, an address — any of them may be missing.</summary>
public sealed record PersonRow(string? IdNumber, string? Phone, string? Name, string? Address);
