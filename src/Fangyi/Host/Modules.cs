using Fangyi.Core.Modules;
using Fangyi.Features.Accounts;
using Fangyi.Features.Arrivals;
using Fangyi.Features.Checkpoint;
using Fangyi.Features.Citizens;
using Fangyi.Features.Dashboard;
using Fangyi.Features.Divisions;
using Fangyi.Features.Home;
using Fangyi.Features.Quarantine;
using Fangyi.Features.Residents;
using Fangyi.Features.Sampling;
using Fangyi.Features.Screening;
using Fangyi.Features.Tasks;
using Fangyi.Features.Vaccination;

namespace Fangyi.Host;

/// <summary>
/// Every capability of the platform, in the order the start-up phases call them: divisions load before anything
/// that reads the tree; each seeds its share of the demo city in this order. Adding a capability is one line here (docs/design.md).
/// </summary>
public static class Modules
{
    public static IReadOnlyList<FangyiModule> For(FangyiOptions options) =>
    [
        new DivisionsModule(),
        new AccountsModule(new AuthSetup.Settings(options.DataDir, options.KnownProxies, options.TlsAtProxy, options.LoginsPerMinute, options.PublicPerMinute)),
        new ResidentsModule(),
        new TasksModule(),
        new SamplingModule(),
        new CitizensModule(),
        new CheckpointModule(new CheckpointOptions
        {
            DataDir = options.DataDir,
            RetentionDays = options.CheckRetentionDays,
            DeviceChecksPerMinute = options.DeviceChecksPerMinute,
            DeviceCheckBurst = options.DeviceCheckBurst,
        }),
        new VaccinationModule(),
        new ArrivalsModule(),
        new ScreeningModule(),
        new QuarantineModule(),
        new DashboardModule(),
        new HomeModule(),
    ];
}
