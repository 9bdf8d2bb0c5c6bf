namespace Fangyi.Core.Http;

/// <summary>
/// What every answer tells the browser (CSP, nosniff, no referrer, no framing, HSTS over TLS, no-store on anything
/// that is not a static file), and the same-origin check on cookie-authenticated writes: a form or fetch posted
/// from another site with the user's cookie is refused, imports that skip antiforgery included.
/// </summary>
public static class BrowserDefences
{
    // 'wasm-unsafe-eval' lets the ID card reader's worker compile its WebAssembly OCR (served from /lib); it allows
    // no eval of script text.
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
        "media-src 'self' blob:; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'self'; " +
        "form-action 'self'; frame-ancestors 'none'";

    public static readonly ApiProblem CrossSiteRequest = new("cross_site_request", 403, "请求来源不受信任，已拒绝");

    private const string CookieName = "fangyi";

    public static WebApplication UseBrowserDefences(this WebApplication app, bool tlsAtProxy)
    {
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            var tls = tlsAtProxy || request.IsHttps;
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                if (tls)
                {
                    headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
                }
                // Static files are served without an endpoint; pages, API answers and hubs have one. App shells
                // set their own no-cache.
                if (string.IsNullOrEmpty(headers.CacheControl) && (context.GetEndpoint() is not null || request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)))
                {
                    headers.CacheControl = "no-store";
                }
                return Task.CompletedTask;
            });
            if (IsCrossSiteCookieWrite(request, tlsAtProxy))
            {
                context.Response.StatusCode = CrossSiteRequest.Status;
                await TypedResults.Problem(CrossSiteRequest.ToDetails()).ExecuteAsync(context);
                return;
            }
            await next(context);
        });
        return app;
    }

    // An unsafe request carrying the session cookie and no bearer or device key must come from this site: the
    // browser's Sec-Fetch-Site says so, or else Origin, or else Referer names this host. (With Referrer-Policy
    // no-referrer a same-origin form sends Origin "null", so Sec-Fetch-Site is asked first.)
    private static bool IsCrossSiteCookieWrite(HttpRequest request, bool tlsAtProxy)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
        {
            return false;
        }
        if (!request.Cookies.ContainsKey(CookieName) || request.Headers.Authorization.Count > 0)
        {
            return false;
        }
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site != "same-origin";
        }
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && origin != "null")
        {
            return !SameOrigin(origin, request, tlsAtProxy);
        }
        var referer = request.Headers.Referer.ToString();
        return referer.Length == 0 || !SameOrigin(referer, request, tlsAtProxy);
    }

    private static bool SameOrigin(string address, HttpRequest request, bool tlsAtProxy) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri)
        && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)
        && (uri.Scheme == request.Scheme || (tlsAtProxy && uri.Scheme == Uri.UriSchemeHttps));
}
