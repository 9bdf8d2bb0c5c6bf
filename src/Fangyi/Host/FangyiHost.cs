using Fangyi.Core.Counters;
using Fangyi.Core.Modules;
using Fangyi.Core.Status;
using Fangyi.Core.Storage;

namespace Fangyi.Host;

/// <summary>
/// Builds the web host in explicit phases: migrate the store → register core and every capability → load what
/// each keeps in memory (and seed the demo) → recount the counters → build the status index. The ingest starts
/// with the host (a hosted service), after all of them.
/// </summary>
public static class FangyiHost
{
    public static async Task<WebApplication> BuildAsync(FangyiOptions options, Action<WebApplicationBuilder>? configure = null, TextWriter? banner = null)
    {
        var modules = Modules.For(options);
        var builder = Platform.CreateBuilder(options);
        var store = Store.FromSpec(options.Store);
        // The host's container owns the store from here and disposes it when the host stops.
        builder.Services.AddSingleton(_ => store);
        await store.MigrateAsync();
        Platform.AddCore(builder, options, store, modules);
        foreach (var module in modules)
        {
            module.Add(builder);
        }
        configure?.Invoke(builder);
        var app = Platform.Build(builder, options, modules);
        foreach (var module in modules)
        {
            await module.LoadAsync(app.Services, CancellationToken.None);
        }
        if (options.Demo)
        {
            var demo = new DemoSeed(app.Services, options.DemoResidents, banner ?? Console.Out);
            foreach (var module in modules)
            {
                await module.SeedDemoAsync(demo, CancellationToken.None);
            }
        }
        await app.Services.GetRequiredService<Counters>().RecountAsync();
        // Built last, from everything in the store: verdicts at a door are answered from it, never from a query.
        await app.Services.GetRequiredService<StatusIndexHost>().BuildAsync();
        return app;
    }
}
