using System.Globalization;
using System.Security.Claims;

namespace Fangyi.Core.Jurisdiction;

public static class FangyiClaims
{
    public const string DivisionClaim = "fangyi:division";
    public const string MustChangePassword = "fangyi:must_change_password";
    public const string Stamp = "fangyi:stamp";
    public const string Session = "fangyi:sid";
    public const string Generation = "fangyi:gen";

    public static long AccountId(this ClaimsPrincipal user) =>
        long.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "0", CultureInfo.InvariantCulture);

    public static string Username(this ClaimsPrincipal user) => user.Identity?.Name ?? "";

    public static string Role(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Role) ?? "";

    public static long Division(this ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(DivisionClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : -1;

    /// <summary>
    /// The account's jurisdiction. An account without a division claim gets an empty range, so a mistake here
    /// shows nothing rather than everything.
    /// </summary>
    public static Scope Scope(this ClaimsPrincipal user) =>
        user.Division() is var code and > 0 ? Jurisdiction.Scope.Of(code) : new Scope(-1, -1, -2);
}
