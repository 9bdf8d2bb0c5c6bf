namespace Fangyi.Features.Residents;

/// <summary>A social-security card linked to a resident, kept as a keyed hash and a mask like an identity number.</summary>
public sealed record CardRecord(long ResidentId, byte[] CardHash, int KeyId, string CardMasked);
