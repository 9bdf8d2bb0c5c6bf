using Fangyi.Core.Audit;
using Fangyi.Core.Http;
using Fangyi.Core.Identity;
using Fangyi.Core.Imports;
using Fangyi.Core.Ingest;
using Fangyi.Features.Accounts;
using Fangyi.Features.Dashboard;
using Fangyi.Features.Demo;
using Fangyi.Features.Divisions;
using Fangyi.Features.Residents;
using Fangyi.Features.Sampling;
using Fangyi.Core.Codes;
using Fangyi.Features.Citizens;
using Fangyi.Features.SamplerApp;
using Fangyi.Features.Kiosk;
using Fangyi.Core.Status;
using Fangyi.Features.Checkpoint;
using Microsoft.AspNetCore.Http.Features;

namespace Fangyi.Host;

/// <summary>Builds the web host: the store opened and migrated, the divisions in memory, every feature mapped.</summary>
public static class FangyiHost
{
    public static async Task<WebApplication> BuildAsync(FangyiOptions options, Action<WebApplicationBuilder>? configure = null, TextWriter? banner = null)
    {
        // The application is this assembly even when a test runner or benchmark is the entry point: Razor Pages
        // are discovered from the application's assembly.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(FangyiHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls(options.Urls);
        // The data folder holds the store, the identity and code keys and the sign-in keys: owner-only (0700).
        SecretFile.PrivateFolder(options.DataDir);
        // Two console lines per request (the framework's Information level) cost more than a scan itself; the
        // framework speaks up from warnings on. Configuration (Logging:LogLevel) can still turn it back on.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // JSON requests are small; imports raise their own limit.
            kestrel.Limits.MaxRequestBodySize = 4 * 1024 * 1024;
        });
        builder.Services.Configure<FormOptions>(form => form.MultipartBodyLengthLimit = 256 * 1024 * 1024);

        var store = Core.Store.Store.Open(options.Store);
        await store.MigrateAsync();
        var keys = KeyRing.OpenOrCreate(options.KeyFile);
        await IdentityReprotect.RunAsync(store, keys);
        var divisions = new DivisionDirectory(store);
        await divisions.LoadAsync();

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new Core.Http.AccessLog(Path.Combine(options.DataDir, "access.log")));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(keys);
        builder.Services.AddSingleton(divisions);
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<ImportJobs>();
        builder.Services.AddSingleton(new AccountOptions());
        builder.Services.AddSingleton<AccountService>();
        builder.Services.AddSingleton(new IngestOptions());
        builder.Services.AddSingleton<IIngestHandler, ResidentUpsertHandler>();
        builder.Services.AddSingleton<IIngestHandler, SamplingHandler>();
        builder.Services.AddSingleton(CodeKeys.OpenOrCreate(options.CodeKeyFile));
        builder.Services.AddSingleton<CodeRevocations>();
        builder.Services.AddSingleton<ICodeRevocations>(sp => sp.GetRequiredService<CodeRevocations>());
        builder.Services.AddSingleton<SignedCodes>();
        builder.Services.AddSingleton<CodeRevocationPoller>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CodeRevocationPoller>());
        builder.Services.AddSingleton<IssuedCodes>();
        builder.Services.AddSingleton<ScanIntake>();
        builder.Services.AddSingleton<CitizenCodes>();
        builder.Services.AddSingleton(_ => new Features.Sampling.Labels.LabelSheet());
        builder.Services.AddSingleton(sp => new Features.Sampling.Labels.CitizenCodeSheet(sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddResidentPolicies().AddSamplingPolicies().AddCitizenPolicies();
        builder.AddDashboard();
        builder.Services.AddSingleton<IngestQueue>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<IngestQueue>());
        // The status index: residents (who), sampling (latest sample and result) and the checkpoint's facts feed it.
        builder.Services.AddStatusIndex();
        builder.Services.AddSingleton<ResidentStatus>();
        builder.Services.AddSingleton<IStatusSource>(sp => sp.GetRequiredService<ResidentStatus>());
        builder.Services.AddSingleton<IIngestObserver>(sp => sp.GetRequiredService<ResidentStatus>());
        builder.Services.AddSingleton<SamplingStatus>();
        builder.Services.AddSingleton<IStatusSource>(sp => sp.GetRequiredService<SamplingStatus>());
        builder.Services.AddSingleton<IIngestObserver>(sp => sp.GetRequiredService<SamplingStatus>());
        builder.AddCheckpoint(options);

        // Enums leave the API as their names ("matched", "village"), not as numbers.
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.SnakeCaseLower)));
        builder.AddFangyiProblems();
        builder.AddFangyiAuth(options);
        builder.Services.AddRazorPages(pages =>
        {
            pages.Conventions.AuthorizeFolder("/");
            pages.Conventions.AllowAnonymousToPage("/Login");
            pages.Conventions.AllowAnonymousToPage("/Denied");
        });
        builder.Services.AddOpenApi();
        configure?.Invoke(builder);

        var app = builder.Build();
        // With no proxy named the framework would believe X-Forwarded-For from anyone: only with --known-proxy.
        if (options.KnownProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }
        app.UseAccessLog();
        app.UseBrowserDefences(options.TlsAtProxy);
        app.UseFangyiProblems();
        app.UseStaticFiles();
        app.UseFangyiAuth();
        app.UseAntiforgery();

        app.MapOpenApi();
        app.MapGet("/healthz", (IngestQueue ingest) => TypedResults.Ok(new { status = "ok", store = store.Dialect.ToString().ToLowerInvariant(), committed = ingest.Committed }))
            .AllowAnonymous().ExcludeFromDescription();
        app.MapDivisions();
        app.MapResidents();
        app.MapAccounts();
        app.MapSampling();
        app.MapCitizens();
        app.MapPrinting();
        app.MapCoverage();
        app.MapSamplerApp();
        app.MapKiosk();
        app.MapDashboard();
        app.MapCheckpoint();
        app.MapRazorPages();

        // On the host's clock (its once-a-second re-read of codes other hosts issued), so loaded once it is built.
        await app.Services.GetRequiredService<IssuedCodes>().LoadAsync();
        await app.Services.LoadCheckpointAsync();
        if (options.Demo)
        {
            await DemoCity.SeedAsync(store, divisions.Tree, keys, app.Services.GetRequiredService<AccountService>(), options.DemoResidents, banner ?? Console.Out);
            await DemoCheckpoint.SeedAsync(app.Services, banner ?? Console.Out);
        }
        // Built last, from everything in the store: verdicts at a door are answered from it, never from a query.
        await app.Services.GetRequiredService<StatusIndexHost>().BuildAsync();
        return app;
    }
}
