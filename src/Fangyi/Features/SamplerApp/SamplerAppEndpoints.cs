namespace Fangyi.Features.SamplerApp;

/// <summary>
/// The sampler's phone app (采样员): static files under wwwroot/sampler, its page served at /sampler. The page needs
/// no cookie: it signs its API calls with a bearer token kept on the phone. Its service worker lives at
/// /sampler-sw.js so that its scope can cover /sampler itself as well as everything under /sampler/.
/// </summary>
public static class SamplerAppEndpoints
{
    public static IEndpointRouteBuilder MapSamplerApp(this IEndpointRouteBuilder app)
    {
        app.MapGet("/sampler", Shell).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static IResult Shell(HttpContext http, IWebHostEnvironment environment)
    {
        var file = environment.WebRootFileProvider.GetFileInfo("sampler/index.html");
        if (!file.Exists || file.PhysicalPath is null)
        {
            return TypedResults.NotFound();
        }
        // Revalidated on every load, so a phone (and the service worker's copy) picks up a new release at once.
        http.Response.Headers.CacheControl = "no-cache";
        return TypedResults.PhysicalFile(file.PhysicalPath, "text/html; charset=utf-8", lastModified: file.LastModified);
    }
}
