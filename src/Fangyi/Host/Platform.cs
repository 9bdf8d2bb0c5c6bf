using Fangyi.Core.Audit;
using Fangyi.Core.Codes;
using Fangyi.Core.Counters;
using Fangyi.Core.Http;
using Fangyi.Core.Identity;
using Fangyi.Core.Imports;
using Fangyi.Core.Ingest;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Modules;
using Fangyi.Core.Status;
using Fangyi.Core.Storage;
using Fangyi.Features.Accounts;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.FileProviders;

namespace Fangyi.Host;

// The core every capability stands on, and the web host's pipeline around the capabilities' endpoints.
internal static class Platform
{
    public static WebApplicationBuilder CreateBuilder(FangyiOptions options)
    {
        // The application is this assembly even when a test runner or benchmark is the entry point: Razor Pages
        // are discovered from the application's assembly.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(Platform).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            // appsettings.json is read once at start: a file watcher per host would spend an inotify instance each
            // (128 per user by default), which a test run of many hosts, or several hosts on one machine, runs out of.
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
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
        return builder;
    }

    /// <summary>The store (migrated by then), the keys, and core's seams: ingest, status index, counters, audit, imports, codes.</summary>
    public static void AddCore(WebApplicationBuilder builder, FangyiOptions options, Store store, IReadOnlyList<FangyiModule> modules)
    {
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(modules);
        // Made by the container, so the host disposes it when it stops and the last lines are written.
        services.AddSingleton(_ => new AccessLog(Path.Combine(options.DataDir, "access.log")));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(KeyRing.OpenOrCreate(options.KeyFile));
        services.AddSingleton(CodeKeys.OpenOrCreate(options.CodeKeyFile));
        services.AddSingleton<SignedCodes>();
        services.AddSingleton<DivisionDirectory>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<ImportJobs>();
        services.AddSingleton<CounterLayout>();
        services.AddSingleton<Counters>();
        services.AddSingleton<IIngestObserver>(sp => sp.GetRequiredService<Counters>());
        services.AddSingleton(new IngestOptions());
        services.AddSingleton<IngestQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestQueue>());
        services.AddStatusIndex();
        // Enums leave the API as their names ("matched", "village"), not as numbers.
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.SnakeCaseLower)));
        builder.AddFangyiProblems();
        services.AddRazorPages(pages =>
        {
            // Pages live in their capability's folder; each names its own route.
            pages.RootDirectory = "/Features";
            pages.Conventions.AuthorizeFolder("/");
            pages.Conventions.AllowAnonymousToPage("/Accounts/Login");
            pages.Conventions.AllowAnonymousToPage("/Accounts/Denied");
        });
        services.AddOpenApi().AddOpenApiContract();
    }

    public static WebApplication Build(WebApplicationBuilder builder, FangyiOptions options, IReadOnlyList<FangyiModule> modules)
    {
        var app = builder.Build();
        // With no proxy named the framework would believe X-Forwarded-For from anyone: only with --known-proxy.
        if (options.KnownProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }
        app.UseAccessLog();
        app.UseBrowserDefences(options.TlsAtProxy);
        app.UseFangyiProblems();
        // A capability's own web files (its phone app, its page scripts) sit in Features/<Capability>/wwwroot and
        // are served from the site root beside the shared ones, so a capability moves as one folder.
        // The files change only with a new release, so they are watched by polling when asked (a file's version in a
        // page's URL): an inotify watcher per folder and host would run out of the system's 128 per user, and the
        // providers are let go with the host.
        var web = app.Environment;
        var folders = new[] { web.WebRootPath }.Concat(Directory.EnumerateDirectories(Path.Combine(web.ContentRootPath, "Features"), "wwwroot", SearchOption.AllDirectories)
                .Order(StringComparer.Ordinal))
            .Where(Directory.Exists)
            .Select(folder => new PhysicalFileProvider(folder) { UsePollingFileWatcher = true, UseActivePolling = false })
            .ToList();
        web.WebRootFileProvider = new CompositeFileProvider(folders);
        app.Lifetime.ApplicationStopped.Register(() => folders.ForEach(f => f.Dispose()));
        app.UseStaticFiles();
        app.UseFangyiAuth();
        app.UseAntiforgery();

        app.MapOpenApi();
        app.MapGet("/healthz", (Store store, IngestQueue ingest) => TypedResults.Ok(new { status = "ok", store = store.Dialect.ToString().ToLowerInvariant(), committed = ingest.Committed }))
            .AllowAnonymous().ExcludeFromDescription();
        foreach (var module in modules)
        {
            module.Map(app);
        }
        app.MapRazorPages();
        return app;
    }
}
