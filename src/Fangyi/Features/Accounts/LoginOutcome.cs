using Fangyi.Core.Storage;
using System.Security.Claims;
using System.Security.Cryptography;
using Dapper;
using Fangyi.Core.Jurisdiction;
using Microsoft.AspNetCore.Identity;

namespace Fangyi.Features.Accounts;

public enum LoginOutcome
{
    Ok,
    BadCredentials,
    Delayed,
    Disabled,
}
