using Fangyi.Core.Modules;

namespace Fangyi.Features.Divisions;

/// <summary>Divisions (行政区划): the divisions table, loaded into core's tree at start; the address matcher.</summary>
public sealed class DivisionsModule : FangyiModule
{
    public override string Name => "Divisions";

    public override void Add(WebApplicationBuilder builder) => builder.Services.AddSingleton<DivisionCatalog>();

    public override void Map(WebApplication app) => app.MapDivisions();

    public override Task LoadAsync(IServiceProvider services, CancellationToken ct) =>
        services.GetRequiredService<DivisionCatalog>().LoadAsync(ct);

    public override IEnumerable<MenuItem> Menu => [new(0, 10, "行政区划", "/divisions")];
}
