namespace Fangyi.Core.Status;

public static class StatusSetup
{
    /// <summary>The status index and its host; capabilities add their <see cref="IStatusSource"/>s and ingest observers.</summary>
    public static IServiceCollection AddStatusIndex(this IServiceCollection services)
    {
        services.AddSingleton<StatusOptions>();
        services.AddSingleton<StatusIndex>();
        services.AddSingleton<StatusIndexHost>();
        services.AddHostedService(sp => sp.GetRequiredService<StatusIndexHost>());
        return services;
    }
}
