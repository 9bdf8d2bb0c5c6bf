using System.Security.Claims;
using System.Security.Cryptography;
using Fangyi.Core.Jurisdiction;

namespace Fangyi.Features.Accounts;

public sealed record Account
{
    public long Id { get; init; }
    public string Username { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string Role { get; init; } = "";
    public long Division { get; init; }
    public string PasswordHash { get; init; } = "";
    public bool MustChangePassword { get; init; }
    public int FailedLogins { get; init; }
    public long LockedUntil { get; init; }
    public bool Disabled { get; init; }
    public long CreatedAt { get; init; }

    /// <summary>
    /// Changes on a password change or reset, and on enabling or disabling the account: a session begun under
    /// another stamp is over. Derived from the password hash as well, so a hash changed behind the host's back counts.
    /// </summary>
    public string SessionStamp { get; init; } = "";

    public string Stamp => Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(PasswordHash + "|" + SessionStamp)))[..16];

    /// <summary>The principal of one server-side session (cookie or bearer), which every request checks.</summary>
    public ClaimsPrincipal ToPrincipal(string scheme, string sessionId, string generation)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, Username),
            new(ClaimTypes.GivenName, DisplayName),
            new(ClaimTypes.Role, Role),
            new(FangyiClaims.DivisionClaim, Division.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(FangyiClaims.Stamp, Stamp),
            new(FangyiClaims.Session, sessionId),
            new(FangyiClaims.Generation, generation),
        };
        if (MustChangePassword)
        {
            claims.Add(new Claim(FangyiClaims.MustChangePassword, "1"));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}
