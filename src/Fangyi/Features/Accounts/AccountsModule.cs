using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Modules;

namespace Fangyi.Features.Accounts;

/// <summary>Accounts and sign-in (账号): the accounts and sessions tables, log-in for the console and the phone apps.</summary>
public sealed class AccountsModule(AuthSetup.Settings auth) : FangyiModule
{
    public override string Name => "Accounts";

    public override void Add(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(new AccountOptions());
        builder.Services.AddSingleton<AccountService>();
        builder.AddFangyiAuth(auth);
    }

    public override void Map(WebApplication app) => app.MapAccounts();

    public override Task SeedDemoAsync(DemoSeed demo, CancellationToken ct) => AccountsDemo.SeedAsync(demo.Services, demo.Banner, ct);

    public override IEnumerable<MenuItem> Menu =>
    [
        new(0, 40, "账号管理", "/accounts", Policies.Admin),
        new(9, 0, "修改密码", "/account/password"),
    ];
}
