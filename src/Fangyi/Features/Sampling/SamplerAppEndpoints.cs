using Fangyi.Core.Http;

namespace Fangyi.Features.Sampling;

/// <summary>
/// The sampler's phone app (采样员): static files under wwwroot/sampler, its page served at /sampler. The page needs
/// no cookie: it signs its API calls with a bearer token kept on the phone. Its service worker lives at
/// /sampler-sw.js so that its scope can cover /sampler itself as well as everything under /sampler/.
/// </summary>
public static class SamplerAppEndpoints
{
    public static IEndpointRouteBuilder MapSamplerApp(this IEndpointRouteBuilder app)
    {
        app.MapAppShell("/sampler", "sampler/index.html");
        return app;
    }
}
