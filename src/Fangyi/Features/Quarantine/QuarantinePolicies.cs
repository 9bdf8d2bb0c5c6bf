using Fangyi.Core.Jurisdiction;

namespace Fangyi.Features.Quarantine;

// Who works quarantine: admins set up sites and refer people; the site's staff check people in, record health
// check-ins and release; transfer teams (village workers, admins) pick people up. Jurisdiction narrows all of them.
public static class QuarantinePolicies
{
    public const string Manage = "quarantine.manage";
    public const string Desk = "quarantine.desk";
    public const string Transfer = "quarantine.transfer";
    public const string Scan = "quarantine.scan";

    public static IServiceCollection AddQuarantinePolicies(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(Manage, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Desk, p => p.RequireRole(Roles.Admin, Roles.QuarantineStaff))
            .AddPolicy(Transfer, p => p.RequireRole(Roles.Admin, Roles.VillageWorker))
            .AddPolicy(Scan, p => p.RequireRole(Roles.Admin, Roles.VillageWorker, Roles.QuarantineStaff));
        return services;
    }
}
