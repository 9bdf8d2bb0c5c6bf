using Fangyi.Core.Jurisdiction;

namespace Fangyi.Features.Citizens;

// Issuing and printing a resident's citizen code: the admins and village workers of the area.
public static class CitizenPolicies
{
    public const string Issue = "citizens.issue";

    public static IServiceCollection AddCitizenPolicies(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder().AddPolicy(Issue, p => p.RequireRole(Roles.Admin, Roles.VillageWorker));
        return services;
    }
}
