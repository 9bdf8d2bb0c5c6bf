using Fangyi.Core.Jurisdiction;

namespace Fangyi.Features.Residents;

/// <summary>
/// Who may see what of the registry (docs/security.md has the whole table). Names with masked numbers go to the
/// people who work with residents by name in their own area: admins and village workers. Couriers, labs,
/// commanders and quarantine staff have no resident list.
/// </summary>
public static class ResidentPolicies
{
    public const string Read = "residents.read";
    public const string Write = "residents.write";

    /// <summary>The full number and phone in clear, each opening audited.</summary>
    public const string Identity = "residents.identity";

    public static IServiceCollection AddResidentPolicies(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(Read, p => p.RequireRole(Roles.Admin, Roles.VillageWorker))
            .AddPolicy(Write, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Identity, p => p.RequireRole(Roles.Admin));
        return services;
    }
}
