using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Http;
using Fangyi.Core.Ingest;
using Fangyi.Core.Modules;
using Fangyi.Core.Status;

namespace Fangyi.Features.Sampling;

/// <summary>
/// Nucleic-acid sampling (核酸采样) with its chain of custody: rounds, sites, teams, issued codes, boxes, tubes,
/// samples, results and retest tasks; the sampler's phone app; tube labels; coverage; its counters and the latest
/// sample and result each person shows at a door.
/// </summary>
public sealed class SamplingModule : FangyiModule
{
    public override string Name => "Sampling";

    public override void Add(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSamplingPolicies();
        services.AddSingleton<IssuedCodes>();
        services.AddSingleton<ScanIntake>();
        services.AddSingleton(builder.Configuration.GetSection("Fangyi:Lab").Get<LabOptions>() ?? new LabOptions());
        services.AddSingleton<ResidentSamples>();
        services.AddSingleton<Core.Timeline.ITimelineSource, SamplingTimeline>();
        services.AddSingleton<Tasks.IRoundRoster, RoundRoster>();
        services.AddSingleton(_ => new LabelSheet());
        services.AddSingleton<IIngestHandler, SamplingHandler>();
        services.AddSingleton<SamplingStatus>();
        services.AddSingleton<IStatusSource>(sp => sp.GetRequiredService<SamplingStatus>());
        services.AddSingleton<IIngestObserver>(sp => sp.GetRequiredService<SamplingStatus>());
        services.AddSingleton<Core.Counters.ICounterContributor, SamplingCounters>();
    }

    public override void Map(WebApplication app)
    {
        app.MapSampling();
        app.MapLab();
        app.MapPrinting();
        app.MapCoverage();
        app.MapSetupEdits();
        // The sampler's phone app: its page needs no cookie (it signs its calls with a bearer token kept on the
        // phone); its service worker lives at /sampler-sw.js so that its scope covers /sampler and what is below.
        app.MapAppShell("/sampler", "sampler/index.html");
        // The courier's and the lab's app, a sibling sharing the sampler's modules (session, outbox, banner).
        app.MapAppShell("/courier", "courier/index.html");
    }

    public override async Task LoadAsync(IServiceProvider services, CancellationToken ct)
    {
        await RetestTasksMove.RunAsync(services.GetRequiredService<Core.Storage.Store>(), ct);
        await services.GetRequiredService<IssuedCodes>().LoadAsync(ct);
    }

    public override Task SeedDemoAsync(DemoSeed demo, CancellationToken ct) => SamplingDemo.SeedAsync(demo.Services, ct);

    public override IEnumerable<(string Role, string Path)> Landings => [(Roles.Sampler, "/sampler"), (Roles.Courier, "/courier"), (Roles.Lab, "/lab")];

    public override IEnumerable<MenuItem> Menu =>
    [
        new(1, 10, "核酸采样", "/sampling", SamplingPolicies.Manage),
        new(1, 15, "采样覆盖", "/sampling/coverage", SamplingPolicies.Coverage),
        new(1, 20, "样本追溯", "/sampling/trace", SamplingPolicies.Custody, ["/sampling/boxes", "/sampling/tubes"]),
        new(1, 30, "检测结果", "/lab", SamplingPolicies.LabResults),
    ];
}
