using Fangyi.Features.Accounts;
using Fangyi.Core.Identity;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Modules;
using Fangyi.Core.Storage;

namespace Fangyi.Features.Demo;

/// <summary>The demo city (serve --demo): listed last, so that every capability it seeds is loaded.</summary>
public sealed class DemoModule : FangyiModule
{
    public override string Name => "Demo";

    public override async Task SeedDemoAsync(DemoSeed demo, CancellationToken ct)
    {
        var services = demo.Services;
        await DemoCity.SeedAsync(services.GetRequiredService<Store>(), services.GetRequiredService<DivisionDirectory>().Tree, services.GetRequiredService<KeyRing>(),
            services.GetRequiredService<AccountService>(), demo.Residents, demo.Banner);
        await DemoCheckpoint.SeedAsync(services, demo.Banner);
    }
}
