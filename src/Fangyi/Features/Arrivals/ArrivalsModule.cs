using Fangyi.Core.Modules;

namespace Fangyi.Features.Arrivals;

/// <summary>Arrivals (来返人员): the arrivals the checkpoint's feed brings in and every door reads (the daily close comes later).</summary>
public sealed class ArrivalsModule : FangyiModule
{
    public override string Name => "Arrivals";

    public override void Add(WebApplicationBuilder builder) => builder.Services.AddSingleton<Core.Timeline.ITimelineSource, ArrivalsTimeline>();

    public override Task SeedDemoAsync(DemoSeed demo, CancellationToken ct) => ArrivalsDemo.SeedAsync(demo.Services, ct);
}
