namespace Fangyi.Features.Checkpoint;

public enum HealthCodeError
{
    None,
    Malformed,
    Signature,
    Expired,
    NotYetValid,
}
