using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Divisions;

namespace Fangyi.Features.Accounts;

// The demo city's accounts: one for every role, all with the documented Password.
public static class AccountsDemo
{
    public const string Password = "Fangyi2026";

    public static readonly IReadOnlyList<AccountService.NewAccount> Accounts =
    [
        New("admin", "沧州市管理员", Roles.Admin, DemoDivisions.Cangzhou),
        New("qingxian", "青县管理员", Roles.Admin, DemoDivisions.Qingxian),
        New("qingzhou", "清州镇管理员", Roles.Admin, DemoDivisions.Qingzhou),
        New("commander", "沧州市指挥中心", Roles.Commander, DemoDivisions.Cangzhou),
        New("qx_commander", "青县指挥中心", Roles.Commander, DemoDivisions.Qingxian),
        New("sampler", "司马庄采样员", Roles.Sampler, DemoDivisions.Simazhuang),
        New("courier", "青县转运员", Roles.Courier, DemoDivisions.Qingxian),
        New("lab", "青县检测机构", Roles.Lab, DemoDivisions.Qingxian),
        New("worker", "司马庄网格员", Roles.VillageWorker, DemoDivisions.Simazhuang),
        New("quarantine", "青县隔离点", Roles.QuarantineStaff, DemoDivisions.Qingxian),
    ];

    private static AccountService.NewAccount New(string username, string displayName, string role, long division) =>
        new(username, displayName, role, division, Password, MustChangePassword: false);

    // Opens the accounts unless the first is there already, and tells the operator how to sign in.
    public static async Task SeedAsync(IServiceProvider services, TextWriter banner, CancellationToken ct = default)
    {
        var accounts = services.GetRequiredService<AccountService>();
        var tree = services.GetRequiredService<DivisionDirectory>().Tree;
        if (await accounts.FindAsync(Accounts[0].Username, ct) is null)
        {
            await accounts.CreateAsync(Accounts, ct);
        }
        await banner.WriteLineAsync($"演示城市：沧州市 (1309)。演示账号（密码均为 {Password}）：");
        foreach (var a in Accounts)
        {
            await banner.WriteLineAsync($"  {a.Username,-11} {Roles.Names[a.Role],-8} {tree.PathName(a.Division)}");
        }
    }
}
