using Fangyi.Features.Residents;
using Fangyi.Features.Sampling;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Counters;
using Fangyi.Features.Accounts;

namespace Fangyi.Features.Dashboard;

public static class DashboardSetup
{
    /// <summary>Who may open the big screen: commanders, and admins of a division (for their own).</summary>
    public const string Policy = "dashboard";

    /// <summary>
    /// The counters and the big screen. Call before the ingest queue is registered: the counters recount at start
    /// as a hosted service, and must finish before the queue commits its first batch.
    /// </summary>
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<CounterLayout>();
        services.AddSingleton<ICounterContributor, SamplingCounters>();
        services.AddSingleton<ICounterContributor, ResidentCounters>();
        services.AddSingleton<Counters>();
        services.AddSingleton<Core.Ingest.IIngestObserver>(sp => sp.GetRequiredService<Counters>());
        services.AddHostedService(sp => sp.GetRequiredService<Counters>());
        services.AddSingleton<ScreenViews>();
        services.AddSingleton<ScreenWatchers>();
        services.AddSingleton<DashboardPush>();
        services.AddHostedService(sp => sp.GetRequiredService<DashboardPush>());
        services.AddSignalR();
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.RequireRole(Roles.Admin, Roles.Commander));
        return builder;
    }
}
