namespace Fangyi.Core.Codes;

/// <summary>
/// What a verified code says: an opaque subject, never a name or an identity number, and the code's own id (by
/// which it is revoked; empty in codes issued before codes had ids).
/// </summary>
public sealed record CodeClaims(CodeKind Kind, byte[] Subject, DateTimeOffset IssuedAt, DateTimeOffset Expires, string KeyId)
{
    public string CodeId { get; init; } = "";

    public TimeSpan Lifetime => Expires - IssuedAt;
}
