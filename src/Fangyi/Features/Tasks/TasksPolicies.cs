using Fangyi.Core.Jurisdiction;

namespace Fangyi.Features.Tasks;

// Who works the to-do list: the village workers of the village a task is routed to, and the admins above them
// (township, county, city) who see what is overdue and send workers door to door. Jurisdiction narrows both.
public static class TasksPolicies
{
    public const string Work = "tasks.work";

    public static IServiceCollection AddTasksPolicies(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder().AddPolicy(Work, p => p.RequireRole(Roles.Admin, Roles.VillageWorker));
        return services;
    }
}
