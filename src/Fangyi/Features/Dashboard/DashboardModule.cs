using Fangyi.Core.Modules;

namespace Fangyi.Features.Dashboard;

/// <summary>The command big screen (指挥大屏) and its daily report: what the capabilities count, pushed to the screens.</summary>
public sealed class DashboardModule : FangyiModule
{
    public override string Name => "Dashboard";

    public override void Add(WebApplicationBuilder builder) => builder.AddDashboard();

    public override void Map(WebApplication app) => app.MapDashboard();

    public override IEnumerable<(string Role, string Path)> Landings => [(Core.Jurisdiction.Roles.Commander, "/screen")];

    public override IEnumerable<MenuItem> Menu => [new(1, 50, "指挥大屏", "/screen", DashboardSetup.Policy)];
}
