using Fangyi.Core.Identity;
using Fangyi.Core.Ingest;
using Fangyi.Core.Modules;
using Fangyi.Core.Status;
using Fangyi.Core.Storage;

namespace Fangyi.Features.Residents;

/// <summary>Residents (实有人口): the registry, its imports and transfers, the identity keys' re-protection.</summary>
public sealed class ResidentsModule : FangyiModule
{
    public override string Name => "Residents";

    public override void Add(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddResidentPolicies();
        services.AddSingleton<IIngestHandler, ResidentUpsertHandler>();
        services.AddSingleton<ResidentLookups>();
        services.AddSingleton<ResidentStatus>();
        services.AddSingleton<IStatusSource>(sp => sp.GetRequiredService<ResidentStatus>());
        services.AddSingleton<IIngestObserver>(sp => sp.GetRequiredService<ResidentStatus>());
        services.AddSingleton<Core.Counters.ICounterContributor, ResidentCounters>();
    }

    public override void Map(WebApplication app) => app.MapResidents();

    /// <summary>Finishes a key rotation or re-protection a stopped host left half done, before anyone reads a hash.</summary>
    public override Task LoadAsync(IServiceProvider services, CancellationToken ct) =>
        IdentityReprotect.RunAsync(services.GetRequiredService<Store>(), services.GetRequiredService<KeyRing>(), ct);

    public override Task SeedDemoAsync(DemoSeed demo, CancellationToken ct) => ResidentsDemo.SeedAsync(demo.Services, demo.Residents, ct);

    public override IEnumerable<MenuItem> Menu =>
    [
        new(0, 20, "实有人口", "/residents", ResidentPolicies.Read),
        new(0, 21, "迁入申请", "/residents/transfers", ResidentPolicies.Write),
        new(0, 30, "人口导入", "/imports", ResidentPolicies.Write),
    ];
}
