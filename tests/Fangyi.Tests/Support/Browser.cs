using Microsoft.Playwright;

namespace Fangyi.Tests.Support;

/// <summary>
/// Debian's Chromium driven by Playwright. Never Playwright's own browser download: the machine's
/// /usr/bin/chromium is the browser under test. Each page gets its own context (cookies, downloads) at the
/// console's design size, 1366x768, in Chinese, or at a phone's size for the phone apps.
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";

    private static readonly string[] Args =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly IPlaywright _playwright;

    private Browser(IPlaywright playwright, IBrowser chromium)
    {
        _playwright = playwright;
        Chromium = chromium;
    }

    public IBrowser Chromium { get; }

    /// <param name="fakeCamera">A Y4M file that every page's camera shows (see <see cref="FakeCamera"/>), for the phone apps' scanners.</param>
    /// <param name="cameraAsks">The camera asks before it opens, as on a real device, and no one answers: unless the page's context was granted "camera", the page is refused.</param>
    public static async Task<Browser> LaunchAsync(string? fakeCamera = null, bool cameraAsks = false)
    {
        var args = new List<string>(Args);
        if (fakeCamera is not null)
        {
            args.AddRange(["--use-fake-device-for-media-stream", $"--use-file-for-fake-video-capture={fakeCamera}"]);
            if (!cameraAsks)
            {
                args.Add("--use-fake-ui-for-media-stream");   // yes to every page that asks
            }
        }
        var playwright = await Playwright.CreateAsync();
        try
        {
            var chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Executable, Headless = true, Args = args });
            return new Browser(playwright, chromium);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public async Task<IPage> NewPageAsync(string baseUrl, int width = 1366, int height = 768)
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
            AcceptDownloads = true,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        return page;
    }

    /// <summary>A page the size of a phone (390x844, touch), in Chinese, for the phone apps; grant e.g. "camera".</summary>
    public async Task<IPage> NewPhonePageAsync(string baseUrl, params string[] permissions)
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
            Permissions = permissions,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        return page;
    }

    /// <summary>
    /// Signs in on the console's log-in page. With the test password (no <paramref name="password"/>) the account is an
    /// ordinary one, so it waits to land on <paramref name="then"/> (or the home page); with another password (a
    /// one-time one) where it lands is the test's to check. <paramref name="landing"/> is where a field role lands.
    /// </summary>
    public static async Task LogInAsync(IPage page, string username, string? password = null, string? then = null, string? landing = null)
    {
        await page.GotoAsync(then is null ? "/login" : "/login?ReturnUrl=" + Uri.EscapeDataString(then));
        await page.FillAsync("input[name=username]", username);
        await page.FillAsync("input[name=password]", password ?? TestApp.Password);
        await page.ClickAsync("button[type=submit]");
        if (password is null)
        {
            // Without a page asked for, the account lands where its role works (the console's home page for admins).
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(
                then is not null ? System.Text.RegularExpressions.Regex.Escape(then) : System.Text.RegularExpressions.Regex.Escape(landing ?? "/") + "$"));
        }
    }

    /// <summary>artifacts/screenshots under the repository root (git-ignored), for people to look at.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");

    public static async Task ScreenshotAsync(IPage page, string name, bool fullPage = false)
    {
        // A name may hold a folder ("screen-scaling/1920x1080").
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Fangyi.sln")))
            {
                return dir.FullName;
            }
        }
        return Path.GetTempPath();
    }

    public async ValueTask DisposeAsync()
    {
        await Chromium.DisposeAsync();
        _playwright.Dispose();
    }
}
