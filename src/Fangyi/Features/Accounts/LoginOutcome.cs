namespace Fangyi.Features.Accounts;

public enum LoginOutcome
{
    Ok,
    BadCredentials,
    Delayed,
    Disabled,
}
