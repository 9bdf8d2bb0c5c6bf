using Fangyi.Core.Http;

namespace Fangyi.Features.Checkpoint;

/// <summary>
/// The four-in-one checkpoint kiosk (四合一查验): static files under wwwroot/kiosk, its page served at /kiosk. The
/// page signs its calls with the device's own key (Authorization: Device id.secret), never with a person's log-in.
/// </summary>
public static class KioskEndpoints
{
    public static IEndpointRouteBuilder MapKiosk(this IEndpointRouteBuilder app)
    {
        app.MapAppShell("/kiosk", "kiosk/index.html");
        return app;
    }
}
