using Fangyi.Core.Jurisdiction;
using Fangyi.Tests.Support;

namespace Fangyi.Tests.Security;

/// <summary>The console's pages follow the same policies as the API: a role opens only the pages its job needs, and its menu shows only those.</summary>
public class PageAccessTests
{
    private static readonly (string Page, string[] Roles)[] Pages =
    [
        ("/residents", [Roles.Admin, Roles.VillageWorker]),
        ("/residents/transfers", [Roles.Admin]),
        ("/sampling", [Roles.Admin]),
        ("/sampling/trace", [Roles.Admin, Roles.Sampler, Roles.Courier, Roles.Lab]),
        ("/lab", [Roles.Admin, Roles.Lab]),
        ("/tasks", [Roles.Admin, Roles.VillageWorker]),
        ("/screening", [Roles.Admin, Roles.VillageWorker]),
        ("/citizen-codes", [Roles.Admin, Roles.VillageWorker]),
        ("/accounts", [Roles.Admin]),
        ("/imports", [Roles.Admin]),
        ("/divisions", [Roles.Admin, Roles.Commander, Roles.Sampler, Roles.Courier, Roles.Lab, Roles.VillageWorker, Roles.QuarantineStaff]),
    ];

    [Fact]
    public async Task ConsolePages_OpenOnlyForTheRolesWhoseWorkTheyAre_AndTheMenuSaysSo()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite);
        var faults = new List<string>();
        foreach (var role in Roles.Names.Keys)
        {
            using var client = await app.ClientAsync($"p-{role}", role, Villages.Simazhuang);
            var home = await client.GetStringAsync("/");
            foreach (var (page, roles) in Pages)
            {
                using var response = await client.GetAsync(page);
                var allowed = roles.Contains(role);
                if (allowed != response.IsSuccessStatusCode)
                {
                    faults.Add($"{page} as {role}: {(int)response.StatusCode}");
                }
                if (page != "/divisions" && allowed != home.Contains($"href=\"{page}\"", StringComparison.Ordinal))
                {
                    faults.Add($"the menu of {role} {(allowed ? "lacks" : "shows")} {page}");
                }
            }
        }
        Assert.True(faults.Count == 0, string.Join("\n", faults));
    }
}
