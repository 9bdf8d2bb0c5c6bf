namespace Fangyi.Core.Codes;

public enum KeyState
{
    Valid,
    Unknown,
    Retired,   // retired by hand (fangyi codes retire), or past its validity
}
