namespace Fangyi.Core.Jurisdiction;

/// <summary>
/// The authorization policies and rate-limit names every capability puts on its endpoints. Accounts registers
/// them; the names live here so that a capability needs the core, not the accounts capability, to use them.
/// </summary>
public static class Policies
{
    /// <summary>Admins of a division can do what its other roles can, inside it.</summary>
    public const string Admin = "admin";

    /// <summary>Any signed-in account; the endpoint checks the role and the division itself.</summary>
    public const string Staff = "staff";

    /// <summary>The per-address limit on anonymous endpoints (citizens' pages, device enrolment).</summary>
    public const string PublicLimit = "public";
}
