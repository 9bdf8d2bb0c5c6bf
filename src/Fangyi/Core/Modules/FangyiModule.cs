namespace Fangyi.Core.Modules;

/// <summary>
/// One capability as the host sees it. The host lists the modules once (Host/Modules.cs) and calls each in the
/// start-up phases: <see cref="Add"/> while services are registered, <see cref="Map"/> for endpoints, then
/// <see cref="LoadAsync"/> (what it keeps in memory) and, for <c>serve --demo</c>, <see cref="SeedDemoAsync"/>.
/// </summary>
public abstract class FangyiModule
{
    /// <summary>The capability's folder name, for logs and the architecture test.</summary>
    public abstract string Name { get; }

    public virtual void Add(WebApplicationBuilder builder)
    {
    }

    public virtual void Map(WebApplication app)
    {
    }

    /// <summary>The load phase: read from the store what this capability serves from memory.</summary>
    public virtual Task LoadAsync(IServiceProvider services, CancellationToken ct) => Task.CompletedTask;

    /// <summary>This capability's share of the demo city, written through its own code into an empty store.</summary>
    public virtual Task SeedDemoAsync(DemoSeed demo, CancellationToken ct) => Task.CompletedTask;

    /// <summary>The console menu entries this capability contributes; each shows only to accounts its policy admits.</summary>
    public virtual IEnumerable<MenuItem> Menu => [];

    /// <summary>Where an account of a role lands after signing in, when it did not ask for a page: field roles on their app, the commander on the screen.</summary>
    public virtual IEnumerable<(string Role, string Path)> Landings => [];

    /// <summary>The landing page of a role among the modules' landings; the console's home page otherwise.</summary>
    public static string LandingOf(IEnumerable<FangyiModule> modules, string? role) =>
        modules.SelectMany(m => m.Landings).Where(l => l.Role == role).Select(l => l.Path).FirstOrDefault() ?? "/";
}
