using System.Threading.RateLimiting;
using Fangyi.Core.Http;
using Fangyi.Core.Jurisdiction;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;

namespace Fangyi.Features.Accounts;

public static class AuthSetup
{
    public const string Scheme = "fangyi";
    public const string LoginLimit = "login";
    public const string PublicLimit = Policies.PublicLimit;

    /// <summary>What the host tells the sign-in setup: where its keys live, which proxies to believe, the limits.</summary>
    public sealed record Settings(string DataDir, IReadOnlyList<string> KnownProxies, bool TlsAtProxy, int LoginsPerMinute, int PublicPerMinute);

    public sealed class RateLimits
    {
        /// <summary>Log-in attempts one client address may make per minute (any accounts).</summary>
        public int LoginPerMinute { get; set; } = 20;

        /// <summary>Requests to public pages (no account) one address may make per minute.</summary>
        public int PublicPerMinute { get; set; } = 120;
    }

    /// <summary>
    /// Cookies for the web console, bearer tokens for phone apps and devices; one scheme picks by the
    /// Authorization header. Token and cookie keys live under the data folder so a restart keeps sessions.
    /// </summary>
    public static WebApplicationBuilder AddFangyiAuth(this WebApplicationBuilder builder, Settings fangyi)
    {
        var dataDir = fangyi.DataDir;
        var limits = new RateLimits { LoginPerMinute = fangyi.LoginsPerMinute, PublicPerMinute = fangyi.PublicPerMinute };
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The framework trusts loopback by default; here only the proxies named at start-up are believed.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in fangyi.KnownProxies)
            {
                if (System.Net.IPNetwork.TryParse(proxy, out var network) && proxy.Contains('/', StringComparison.Ordinal))
                {
                    options.KnownIPNetworks.Add(network);
                }
                else if (System.Net.IPAddress.TryParse(proxy, out var address))
                {
                    options.KnownProxies.Add(address);
                }
                else
                {
                    throw new ArgumentException($"--known-proxy: not an address or network: {proxy}");
                }
            }
        });
        builder.Services.AddSingleton<SessionConnections>();
        builder.Services.AddHostedService<SessionSweep>();
        builder.Services.AddDataProtection()
            .SetApplicationName("fangyi")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDir, "dp-keys")));
        builder.Services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Cookie or bearer", options => options.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? BearerTokenDefaults.AuthenticationScheme
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.LoginPath = "/login";
                options.LogoutPath = "/logout";
                options.AccessDeniedPath = "/denied";
                options.Cookie.Name = "fangyi";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = fangyi.TlsAtProxy ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromHours(12);
                options.SlidingExpiration = true;
                options.Events.OnRedirectToLogin = context => Deny(context, Problems.Unauthenticated);
                options.Events.OnRedirectToAccessDenied = context => Deny(context, Problems.Forbidden);
            })
            .AddBearerToken(options =>
            {
                options.BearerTokenExpiration = TimeSpan.FromHours(12);
                options.RefreshTokenExpiration = TimeSpan.FromDays(7);
            });
        builder.Services.AddAntiforgery(options => options.Cookie.SecurePolicy = fangyi.TlsAtProxy ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest);
        builder.Services.PostConfigure<BearerTokenOptions>(BearerTokenDefaults.AuthenticationScheme,
            options => options.BearerTokenProtector = new RememberedTickets(options.BearerTokenProtector));

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.Staff, p => p.RequireAuthenticatedUser());

        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = 429;
            options.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.StatusCode = 429;
                await TypedResults.Problem(Problems.TooManyRequests.ToDetails()).ExecuteAsync(context.HttpContext);
            };
            // Per client address (the real client's, behind a known proxy); per account is the log-in guard's part,
            // since the account name is in the body.
            options.AddPolicy(LoginLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Client(),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.LoginPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            options.AddPolicy(PublicLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Client(),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.PublicPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        return builder;
    }

    /// <summary>The client's address: the peer, or what a known proxy says it forwarded for.</summary>
    public static string Client(this HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "local";

    // APIs get a problem; pages get the usual redirect.
    private static Task Deny(RedirectContext<CookieAuthenticationOptions> context, ApiProblem problem)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = problem.Status;
            return TypedResults.Problem(problem.ToDetails()).ExecuteAsync(context.HttpContext);
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    public static readonly ApiProblem SessionEnded = new("session_ended", 401, "登录已失效，请重新登录");

    public static WebApplication UseFangyiAuth(this WebApplication app)
    {
        app.UseAuthentication();
        // A session signed out, or of an account since disabled, enabled again or given a new password, is over.
        app.Use(async (context, next) =>
        {
            if (context.User.Identity?.IsAuthenticated == true
                && !await context.RequestServices.GetRequiredService<AccountService>().IsSessionCurrentAsync(context.User, context.RequestAborted))
            {
                if (context.User.Identity.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme)
                {
                    await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                }
                if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
                {
                    context.Response.StatusCode = SessionEnded.Status;
                    await TypedResults.Problem(SessionEnded.ToDetails()).ExecuteAsync(context);
                    return;
                }
                context.Response.Redirect("/login");
                return;
            }
            await next(context);
        });
        app.UseRateLimiter();
        app.UseAuthorization();
        // An account opened with a one-time password can do nothing but change it.
        app.Use(async (context, next) =>
        {
            if (context.User.HasClaim(c => c.Type == FangyiClaims.MustChangePassword)
                && !context.Request.Path.StartsWithSegments("/api/v1/auth", StringComparison.OrdinalIgnoreCase)
                && !context.Request.Path.StartsWithSegments("/account/password", StringComparison.OrdinalIgnoreCase)
                && !context.Request.Path.StartsWithSegments("/logout", StringComparison.OrdinalIgnoreCase)
                && !context.Request.Path.StartsWithSegments("/css", StringComparison.OrdinalIgnoreCase)
                && !context.Request.Path.StartsWithSegments("/js", StringComparison.OrdinalIgnoreCase))
            {
                if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
                {
                    context.Response.StatusCode = 403;
                    await TypedResults.Problem(Problems.PasswordChangeRequired.ToDetails()).ExecuteAsync(context);
                    return;
                }
                context.Response.Redirect("/account/password");
                return;
            }
            await next(context);
        });
        return app;
    }

    /// <summary>Begins a session and signs it in with a cookie (web) after a successful log-in.</summary>
    public static async Task SignInWithCookieAsync(this HttpContext context, Account account)
    {
        var principal = await context.RequestServices.GetRequiredService<AccountService>()
            .StartSessionAsync(account, CookieAuthenticationDefaults.AuthenticationScheme, context.RequestAborted);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
    }

    /// <summary>Sign-out: the session ends on the server, whether the caller holds a cookie or a bearer token.</summary>
    public static async Task SignOutEverywhereAsync(this HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated == true)
        {
            await context.RequestServices.GetRequiredService<AccountService>().EndSessionAsync(context.User, context.RequestAborted);
        }
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }
}
