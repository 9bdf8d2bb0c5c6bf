using Fangyi.Core.Ingest;
using Fangyi.Core.Status;

namespace Fangyi.Features.Checkpoint;

public static class CheckpointSetup
{
    public static WebApplicationBuilder AddCheckpoint(this WebApplicationBuilder builder, CheckpointOptions options)
    {
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton<PlaceDirectory>();
        services.AddSingleton<Core.Timeline.ITimelineSource, CheckpointTimeline>();
        services.AddSingleton<DeviceRegistry>();
        services.AddSingleton(sp =>
        {
            var limits = sp.GetRequiredService<CheckpointOptions>();
            return new DeviceThrottle(limits.DeviceChecksPerMinute, limits.DeviceCheckBurst, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<CheckpointRules>();
        services.AddSingleton<RiskAreas>();
        services.AddSingleton<CheckInputReader>();
        services.AddSingleton<CheckpointService>();
        services.AddSingleton<HealthFactsApi.Intake>();
        var hb1 = Hb1HealthCodes.OpenOrCreate(Path.Combine(options.DataDir, "health-code-keys.json"));
        services.AddSingleton(hb1);
        services.AddSingleton<IHealthCodeDecoder>(hb1);
        services.AddSingleton<HealthFacts>();
        services.AddSingleton<IIngestHandler>(sp => sp.GetRequiredService<HealthFacts>());
        services.AddSingleton<IIngestObserver>(sp => sp.GetRequiredService<HealthFacts>());
        services.AddSingleton<IStatusSource>(sp => sp.GetRequiredService<HealthFacts>());
        services.AddSingleton<IIngestHandler, CheckRecordHandler>();
        services.AddSingleton<Core.Counters.ICounterContributor, CheckpointCounters>();
        services.AddSingleton<CheckpointChores>();
        services.AddHostedService(sp => sp.GetRequiredService<CheckpointChores>());
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, CheckpointJson.Default));
        return builder;
    }

    // Reads what the checkpoint keeps in memory: places, devices, rules, risk areas.
    public static async Task LoadCheckpointAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await services.GetRequiredService<PlaceDirectory>().LoadAsync(ct);
        await services.GetRequiredService<DeviceRegistry>().LoadAsync(ct);
        await services.GetRequiredService<CheckpointRules>().LoadAsync(ct);
        await services.GetRequiredService<RiskAreas>().LoadAsync(ct);
    }
}
