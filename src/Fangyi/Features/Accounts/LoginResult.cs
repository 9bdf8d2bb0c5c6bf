namespace Fangyi.Features.Accounts;

// What a log-in attempt came to; RetryAfter is set when the pair must wait.
public sealed record LoginResult(LoginOutcome Outcome, Account? Account, TimeSpan RetryAfter = default);
