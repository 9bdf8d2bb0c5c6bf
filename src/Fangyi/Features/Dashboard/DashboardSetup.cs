using Fangyi.Core.Jurisdiction;

namespace Fangyi.Features.Dashboard;

public static class DashboardSetup
{
    // Who may open the big screen: commanders, and admins of a division (for their own).
    public const string Policy = "dashboard";

    // The big screen: its views over core's counters, the screens watching, and the push loop.
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<ScreenViews>();
        services.AddSingleton<ScreenWatchers>();
        services.AddSingleton<DashboardPush>();
        services.AddHostedService(sp => sp.GetRequiredService<DashboardPush>());
        services.AddSignalR();
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.RequireRole(Roles.Admin, Roles.Commander));
        return builder;
    }
}
