using Fangyi.Core.Http;
using Fangyi.Core.Modules;

namespace Fangyi.Features.Checkpoint;

/// <summary>
/// The four-in-one checkpoint (四合一查验): places, devices, rules, risk areas, the provincial health facts, the
/// verdict at a door, the checks kept for tracing, and the kiosk app. The kiosk page signs its calls with the
/// device's own key (Authorization: Device id.secret), never with a person's log-in.
/// </summary>
public sealed class CheckpointModule(CheckpointOptions options) : FangyiModule
{
    public override string Name => "Checkpoint";

    public override void Add(WebApplicationBuilder builder) => builder.AddCheckpoint(options);

    public override void Map(WebApplication app)
    {
        app.MapCheckpoint();
        app.MapAppShell("/kiosk", "kiosk/index.html");
    }

    public override Task LoadAsync(IServiceProvider services, CancellationToken ct) => services.LoadCheckpointAsync(ct);

    public override Task SeedDemoAsync(DemoSeed demo, CancellationToken ct) => CheckpointDemo.SeedAsync(demo.Services, demo.Banner, ct);
}
