using Fangyi.Core.Modules;

namespace Fangyi.Features.Vaccination;

/// <summary>Vaccination (疫苗接种): the dose records the checkpoint's feed brings in and every door reads (vaccination sites come later).</summary>
public sealed class VaccinationModule : FangyiModule
{
    public override string Name => "Vaccination";

    public override void Add(WebApplicationBuilder builder) => builder.Services.AddSingleton<Core.Timeline.ITimelineSource, VaccinationTimeline>();

    public override Task SeedDemoAsync(DemoSeed demo, CancellationToken ct) => VaccinationDemo.SeedAsync(demo.Services, ct);
}
