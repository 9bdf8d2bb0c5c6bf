using Fangyi.Core.Jurisdiction;

namespace Fangyi.Features.Screening;

// Who works the pool: village workers verify and decide their village's cases, admins at every level see their pools,
// assign, hand over and accept; pushes and the rules are an admin's (the big-data office is a city or county admin).
public static class ScreeningPolicies
{
    public const string Work = "screening.work";
    public const string Push = "screening.push";
    public const string Rules = "screening.rules";

    public static IServiceCollection AddScreeningPolicies(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(Work, p => p.RequireRole(Roles.Admin, Roles.VillageWorker))
            .AddPolicy(Push, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Rules, p => p.RequireRole(Roles.Admin));
        return services;
    }
}
