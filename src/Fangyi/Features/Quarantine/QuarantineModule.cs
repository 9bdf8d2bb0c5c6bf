using Fangyi.Core.Ingest;
using Fangyi.Core.Jurisdiction;
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

    public override IEnumerable<(string Role, string Path)> Landings => [(Roles.QuarantineStaff, "/quarantine")];

    public override IEnumerable<MenuItem> Menu => [];
}
