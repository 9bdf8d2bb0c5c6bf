namespace Fangyi.Core.Identity;

/// <summary>One generation of identity keys: AES-256-GCM for ciphertext, HMAC-SHA256 for the look-up hash.</summary>
public sealed record IdentityKey(int Id, DateTimeOffset Created, byte[] Encryption, byte[] Mac, bool Retired);
