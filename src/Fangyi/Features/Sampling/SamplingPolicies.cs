using Fangyi.Core.Jurisdiction;

namespace Fangyi.Features.Sampling;

// Who may do what in sampling (docs/security.md has the whole table): couriers and labs work with boxes and
// tubes and never see a resident list; commanders see counts; the lists of people (not yet sampled, retest tasks)
// go to the admins and village workers of the area.
public static class SamplingPolicies
{
    // Rounds, sites, teams and code batches.
    public const string Manage = "sampling.manage";

    // Rounds and sites (no personal data): every sampling-chain role, the commander and the village worker.
    public const string Read = "sampling.read";

    // Scans and a box's or tube's history: the chain's own roles. People in a history only for admins.
    public const string Custody = "sampling.custody";

    public const string LabResults = "sampling.lab";

    // Coverage and turnaround: numbers only.
    public const string Coverage = "sampling.coverage";

    // Lists of people: not yet sampled, retest tasks.
    public const string People = "sampling.people";

    public static IServiceCollection AddSamplingPolicies(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(Manage, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Read, p => p.RequireRole(Roles.Admin, Roles.Sampler, Roles.Courier, Roles.Lab, Roles.Commander, Roles.VillageWorker))
            .AddPolicy(Custody, p => p.RequireRole(Roles.Admin, Roles.Sampler, Roles.Courier, Roles.Lab))
            .AddPolicy(LabResults, p => p.RequireRole(Roles.Admin, Roles.Lab))
            .AddPolicy(Coverage, p => p.RequireRole(Roles.Admin, Roles.Commander, Roles.VillageWorker))
            .AddPolicy(People, p => p.RequireRole(Roles.Admin, Roles.VillageWorker));
        return services;
    }
}
