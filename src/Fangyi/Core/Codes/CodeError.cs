namespace Fangyi.Core.Codes;

public enum CodeError
{
    None,
    Format,        // not a Fangyi code, truncated, or not well-formed
    UnknownKey,    // signed by a key this platform does not hold
    KeyRetired,    // signed by a key this platform has retired, or whose validity has ended
    Signature,     // the signature does not match: forged or altered
    Expired,
    NotYetValid,
    Revoked,
}
