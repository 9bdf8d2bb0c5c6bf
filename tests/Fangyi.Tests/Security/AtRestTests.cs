using Fangyi.Core.Storage;
using Fangyi.Core.Jurisdiction;
using System.Net.Http.Json;
using Dapper;
using Fangyi.Tests.Support;
using Npgsql;

namespace Fangyi.Tests.Security;

/// <summary>Issue 9 finding 10 (at rest): file modes, the TRUNCATE guard, and a host run as a role that cannot change the logs.</summary>
public sealed class AtRestTests
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public async Task SqliteStore_KeyFiles_AndDataFolder_AreReadableByTheOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite);
        using var admin = await app.ClientAsync("city", Roles.Admin, People.Cangzhou);
        (await admin.PutAsJsonAsync("/api/v1/residents", new { clientId = Guid.NewGuid().ToString(), idNumber = People.NewId(), name = "张三", division = People.Code(People.Simazhuang) })).EnsureSuccessStatusCode();

        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(app.Folder));
        var db = app.Options.Store;
        foreach (var file in new[] { db, db + "-wal", db + "-shm", app.Options.KeyFile, app.Options.CodeKeyFile }.Where(File.Exists))
        {
            Assert.True(File.GetUnixFileMode(file) == OwnerOnlyFile, $"{Path.GetFileName(file)} is {File.GetUnixFileMode(file)}");
        }
        Assert.True(File.Exists(db + "-wal"));
        Assert.True(File.Exists(app.Options.KeyFile));
    }

    [Fact]
    public async Task ExistingWorldReadableStoreFile_IsTightenedOnOpen()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var folder = TestStore.TempFolder();
        var path = Path.Combine(folder, "old.db");
        await File.WriteAllBytesAsync(path, []);
        File.SetUnixFileMode(path, OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        await using (var store = Store.FromSpec(path))
        {
            await store.MigrateAsync();
        }
        Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task PostgresLogs_RefuseTruncate()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Postgres);
        await using var connection = await app.Store.OpenAsync();
        var audit = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("TRUNCATE audit_log"));
        Assert.Contains("append-only", audit.MessageText, StringComparison.Ordinal);
        await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("TRUNCATE events"));
    }

    /// <summary>
    /// The README's least-privilege set-up: migrations run as the owner (<c>serve --migrate-only</c>), the host as a
    /// role with INSERT and SELECT only on the logs. The host works; the role cannot change, remove or truncate log rows.
    /// </summary>
    [Fact]
    public async Task HostRunAsAnAppRoleWithoutLogRights_Works_AndCannotChangeTheLogs()
    {
        var folder = TestStore.TempFolder();
        var owner = await TestStore.CreateAsync(StoreKind.Postgres, folder);
        var schema = new NpgsqlConnectionStringBuilder(owner).SearchPath!;
        var role = "fangyi_app_" + schema[2..];
        const string password = "app-role-pass-2026";
        Assert.Equal(0, await Cli.Commands.Root().Parse(["serve", "--migrate-only", "--store", owner]).InvokeAsync());

        await using (var connection = new NpgsqlConnection(owner))
        {
            await connection.OpenAsync();
            await connection.ExecuteAsync($"""
                CREATE ROLE {role} LOGIN PASSWORD '{password}';
                GRANT USAGE ON SCHEMA {schema} TO {role};
                GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role};
                REVOKE UPDATE, DELETE, TRUNCATE ON {schema}.audit_log, {schema}.events FROM {role};
                GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role};
                """);
        }
        try
        {
            var appSpec = new NpgsqlConnectionStringBuilder(owner) { Username = role, Password = password }.ConnectionString;
            await using (var app = await TestApp.StartAsync(StoreKind.Postgres, tweak: o => o with { Store = appSpec }))
            {
                using var admin = await app.ClientAsync("city", Roles.Admin, People.Cangzhou);
                var created = await admin.PutAsJsonAsync("/api/v1/residents", new { clientId = Guid.NewGuid().ToString(), idNumber = People.NewId(), name = "李四", division = People.Code(People.Simazhuang) });
                created.EnsureSuccessStatusCode();
                Assert.True((await admin.GetAsync("/api/v1/residents")).IsSuccessStatusCode);

                await using var connection = await app.Store.OpenAsync();
                Assert.True(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log") > 0);
                Assert.Equal("42501", (await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("UPDATE audit_log SET username = 'x'"))).SqlState);
                Assert.Equal("42501", (await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("DELETE FROM events"))).SqlState);
                Assert.Equal("42501", (await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("TRUNCATE audit_log"))).SqlState);
                Assert.Equal("42501", (await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("DROP TRIGGER audit_log_append_only ON audit_log"))).SqlState);
            }
            Assert.Equal(0, await Cli.Commands.Root().Parse(["audit", "verify", "--store", owner]).InvokeAsync());
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(owner);
            await connection.OpenAsync();
            await connection.ExecuteAsync($"DROP OWNED BY {role}; DROP ROLE {role}");
        }
    }
}
