using Fangyi.Features.Accounts;
using Fangyi.Features.Residents;
using Fangyi.Features.Sampling;

namespace Fangyi.Bench;

/// <summary>The part of the demo city a bench starts from: the accounts, the population and the open round (no checkpoint showcase).</summary>
public static class BenchCity
{
    public static async Task SeedAsync(IServiceProvider services, int residents)
    {
        await AccountsDemo.SeedAsync(services, TextWriter.Null);
        await ResidentsDemo.SeedPopulationAsync(services, residents);
        await SamplingDemo.SeedRoundAsync(services);
    }
}
