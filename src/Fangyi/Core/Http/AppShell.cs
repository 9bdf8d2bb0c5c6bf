namespace Fangyi.Core.Http;

/// <summary>
/// The page of a static web app (the sampler's phone app, the checkpoint kiosk) served at a clean path. It is
/// revalidated on every load, so a phone, a kiosk and a service worker's copy pick up a new release at once.
/// </summary>
public static class AppShell
{
    public static RouteHandlerBuilder MapAppShell(this IEndpointRouteBuilder app, string path, string file) =>
        app.MapGet(path, (HttpContext http, IWebHostEnvironment environment) =>
        {
            var page = environment.WebRootFileProvider.GetFileInfo(file);
            if (!page.Exists || page.PhysicalPath is null)
            {
                return Results.NotFound();
            }
            http.Response.Headers.CacheControl = "no-cache";
            return Results.File(page.PhysicalPath, "text/html; charset=utf-8", lastModified: page.LastModified);
        }).AllowAnonymous().ExcludeFromDescription();
}
