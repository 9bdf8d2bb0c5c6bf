using Fangyi.Core.Codes;
using Fangyi.Core.Modules;

namespace Fangyi.Features.Citizens;

/// <summary>Citizen codes (市民码): issued on the phone or printed by the village, revoked, and the resident's own pages.</summary>
public sealed class CitizensModule : FangyiModule
{
    public override string Name => "Citizens";

    public override void Add(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddCitizenPolicies();
        services.AddSingleton<CodeRevocations>();
        services.AddSingleton<ICodeRevocations>(sp => sp.GetRequiredService<CodeRevocations>());
        services.AddSingleton<CodeRevocationPoller>();
        services.AddHostedService(sp => sp.GetRequiredService<CodeRevocationPoller>());
        services.AddSingleton<CitizenCodes>();
        services.AddSingleton<NextSteps>();
        services.AddSingleton(sp => new CitizenCodeSheet(sp.GetRequiredService<TimeProvider>()));
    }

    public override void Map(WebApplication app) => app.MapCitizens();

    public override IEnumerable<MenuItem> Menu => [new(1, 40, "市民码打印", "/citizen-codes", CitizenPolicies.Issue)];
}
