using Fangyi.Core.Ingest;
using Fangyi.Core.Modules;

namespace Fangyi.Features.Screening;

/// <summary>
/// The to-be-screened pool (待排查人员库): one case per person from every source (big-data pushes, door-to-door
/// screening, internal findings), routed down the tree to the village, verified and decided on the village worker's
/// list under versioned rules, with the decision's hold at every door and its tests as tasks.
/// </summary>
public sealed class ScreeningModule : FangyiModule
{
    public override string Name => "Screening";

    public override void Add(WebApplicationBuilder builder)
    {
        builder.Services.AddScreeningPolicies();
        builder.Services.AddSingleton<ScreeningRules>();
        builder.Services.AddSingleton<ScreeningIntake>();
        builder.Services.AddSingleton<ScreeningHandler>();
        builder.Services.AddSingleton<IIngestHandler>(s => s.GetRequiredService<ScreeningHandler>());
        builder.Services.AddSingleton<ScreeningStatus>();
        builder.Services.AddSingleton<Core.Status.IStatusSource>(s => s.GetRequiredService<ScreeningStatus>());
        builder.Services.AddSingleton<IIngestObserver>(s => s.GetRequiredService<ScreeningStatus>());
        builder.Services.AddSingleton<Core.Timeline.ITimelineSource, ScreeningTimeline>();
        builder.Services.AddSingleton<Quarantine.IStayObserver, ScreeningStays>();
        builder.Services.AddHostedService<ScreeningChores>();
    }

    public override void Map(WebApplication app) => app.MapScreening();

    public override Task LoadAsync(IServiceProvider services, CancellationToken ct) => services.GetRequiredService<ScreeningRules>().LoadAsync(ct);

    public override IEnumerable<MenuItem> Menu =>
    [
        new(1, 36, "待排查人员", "/screening", ScreeningPolicies.Work),
    ];
}
