using Fangyi.Core.Storage;
using System.Security.Claims;
using System.Security.Cryptography;
using Dapper;
using Fangyi.Core.Jurisdiction;
using Microsoft.AspNetCore.Identity;

namespace Fangyi.Features.Accounts;

// What a log-in attempt came to; RetryAfter is set when the pair must wait.
public sealed record LoginResult(LoginOutcome Outcome, Account? Account, TimeSpan RetryAfter = default);
