using Fangyi.Core.Ingest;
using Fangyi.Core.Modules;
using Fangyi.Core.Status;

namespace Fangyi.Features.Quarantine;

/// <summary>
/// Centralised quarantine (集中隔离) and transfer (转运): sites with rooms and beds, people referred and awaiting
/// transfer, transfer orders scanned at pick-up and hand-over, check-in to a bed, daily health check-ins, tests on the
/// stay's days, release with its certificate, and the red hold at every door while it lasts. Other capabilities refer
/// people through <see cref="QuarantineReferrals"/> and hear of stays through <see cref="IStayObserver"/>.
/// </summary>
public sealed class QuarantineModule : FangyiModule
{
    public override string Name => "Quarantine";

    public override void Add(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddQuarantinePolicies();
        services.AddSingleton<QuarantineScans.Services>();
        services.AddSingleton(_ => new ReleaseCertificate());
        services.AddSingleton<IIngestHandler, QuarantineHandler>();
        services.AddSingleton<Core.Counters.ICounterContributor, QuarantineCounters>();
        services.AddSingleton<Core.Timeline.ITimelineSource, QuarantineTimeline>();
        services.AddSingleton<QuarantineStatus>();
        services.AddSingleton<IStatusSource>(sp => sp.GetRequiredService<QuarantineStatus>());
        services.AddSingleton<IIngestObserver>(sp => sp.GetRequiredService<QuarantineStatus>());
    }

    public override void Map(WebApplication app)
    {
        app.MapQuarantine();
        app.MapQuarantineScans();
        app.MapTransfers();
    }

    public override Task SeedDemoAsync(DemoSeed demo, CancellationToken ct) => QuarantineDemo.SeedAsync(demo.Services, demo.Banner, ct);

    // The desk's phone app (/quarantine) is still to be built; quarantine_staff lands on it once it exists.
}
