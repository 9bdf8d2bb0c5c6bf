using Microsoft.Playwright;

namespace Fangyi.Bench;

/// <summary>
/// Debian's Chromium for the benchmarks that measure the site's own browser code: a page of the benchmark's making,
/// with the site's static files (src/Fangyi/wwwroot, its npm libraries copied in by the build) served from disk.
/// </summary>
public static class BrowserBench
{
    private const string Origin = "http://localhost:5999";

    public static string Wwwroot(string root)
    {
        var wwwroot = Path.Combine(root, "src", "Fangyi", "wwwroot");
        if (!File.Exists(Path.Combine(wwwroot, "lib", "zxing", "zxing-browser.min.js")))
        {
            throw new InvalidOperationException("src/Fangyi/wwwroot/lib is missing: build src/Fangyi first (its build copies the npm libraries).");
        }
        return wwwroot;
    }

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright, string? fakeCamera = null)
    {
        List<string> args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
        if (fakeCamera is not null)
        {
            args.AddRange(["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", $"--use-file-for-fake-video-capture={fakeCamera}"]);
        }
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = args });
    }

    /// <summary>A phone-sized page showing <paramref name="html"/>, slowed <paramref name="cpuSlowdown"/> times (CDP), once window.ready is true.</summary>
    public static async Task<IPage> OpenAsync(IBrowser browser, string wwwroot, string html, double cpuSlowdown = 1)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { Permissions = ["camera"], ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(120_000);
        await page.RouteAsync(Origin + "/**", route => ServeAsync(route, wwwroot, html));
        await page.GotoAsync(Origin + "/bench.html");
        await page.WaitForFunctionAsync("window.ready === true");
        if (cpuSlowdown > 1)
        {
            var cdp = await context.NewCDPSessionAsync(page);
            await cdp.SendAsync("Emulation.setCPUThrottlingRate", new Dictionary<string, object> { ["rate"] = cpuSlowdown });
        }
        return page;
    }

    private static async Task ServeAsync(IRoute route, string wwwroot, string html)
    {
        var path = new Uri(route.Request.Url).AbsolutePath;
        if (path == "/bench.html")
        {
            await route.FulfillAsync(new RouteFulfillOptions { ContentType = "text/html", Body = html });
            return;
        }
        var file = Path.GetFullPath(Path.Combine(wwwroot, path.TrimStart('/')));
        if (!file.StartsWith(wwwroot, StringComparison.Ordinal) || !File.Exists(file))
        {
            await route.FulfillAsync(new RouteFulfillOptions { Status = 404 });
            return;
        }
        var type = file.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript" : "application/octet-stream";
        await route.FulfillAsync(new RouteFulfillOptions { ContentType = type, BodyBytes = await File.ReadAllBytesAsync(file) });
    }
}
