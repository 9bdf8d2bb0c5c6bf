using System.Security.Claims;
using Dapper;
using Fangyi.Core.Audit;
using Fangyi.Tests.Support;

namespace Fangyi.Tests.Security;

/// <summary>Issue 9 finding 10 (logs): the audit log is hash-chained and <c>fangyi audit verify</c> names the first row altered, removed or inserted behind the host's back.</summary>
public sealed class AuditChainTests
{
    private static async Task<TestApp> AppWithEntriesAsync(StoreKind kind, int count)
    {
        var app = await TestApp.StartAsync(kind);
        var audit = app.Get<AuditLog>();
        var user = new ClaimsPrincipal(new ClaimsIdentity());
        for (var i = 0; i < count; i++)
        {
            await audit.WriteAsync(user, "127.0.0.1", "test.entry", "resident", (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), 130922000000, $"entry {i}");
        }
        return app;
    }

    /// <summary>Lifts the append-only guard as someone with the store's files or superuser rights could.</summary>
    private static async Task BehindTheHostsBackAsync(TestApp app, string sql, object? args = null)
    {
        await using var connection = await app.Store.OpenAsync();
        if (app.Kind == StoreKind.Sqlite)
        {
            await connection.ExecuteAsync("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;");
            await connection.ExecuteAsync(sql, args);
        }
        else
        {
            await using var tx = await connection.BeginTransactionAsync();
            await connection.ExecuteAsync("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only", transaction: tx);
            await connection.ExecuteAsync(sql, args, tx);
            await connection.ExecuteAsync("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only", transaction: tx);
            await tx.CommitAsync();
        }
    }

    private static async Task<long> SeqOfAsync(TestApp app, int index)
    {
        await using var connection = await app.Store.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT seq FROM audit_log ORDER BY seq LIMIT 1 OFFSET @index", new { index });
    }

    private static Task<int> VerifyCommandAsync(TestApp app) =>
        Cli.Commands.Root().Parse(["audit", "verify", "--store", app.Options.Store]).InvokeAsync();

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task AuditVerify_OfAnUntouchedLog_IsIntact(StoreKind kind)
    {
        await using var app = await AppWithEntriesAsync(kind, 6);
        var verification = await AuditChain.VerifyAsync(app.Store);
        Assert.Null(verification.First);
        Assert.NotNull(verification.Head);
        Assert.True(verification.Rows >= 6);
        Assert.Equal(0, await VerifyCommandAsync(app));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task AuditVerify_NamesARowAlteredBehindTheHostsBack(StoreKind kind)
    {
        await using var app = await AppWithEntriesAsync(kind, 6);
        var target = await SeqOfAsync(app, 3);
        await BehindTheHostsBackAsync(app, "UPDATE audit_log SET username = 'nobody' WHERE seq = @target", new { target });

        var broken = (await AuditChain.VerifyAsync(app.Store)).First;
        Assert.NotNull(broken);
        Assert.Equal(AuditChain.Fault.Altered, broken.Fault);
        Assert.Equal(target, broken.Seq);
        Assert.NotEqual(0, await VerifyCommandAsync(app));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task AuditVerify_NamesTheRowAfterOneRemovedBehindTheHostsBack(StoreKind kind)
    {
        await using var app = await AppWithEntriesAsync(kind, 6);
        var target = await SeqOfAsync(app, 2);
        var after = await SeqOfAsync(app, 3);
        await BehindTheHostsBackAsync(app, "DELETE FROM audit_log WHERE seq = @target", new { target });

        var broken = (await AuditChain.VerifyAsync(app.Store)).First;
        Assert.NotNull(broken);
        Assert.Equal(AuditChain.Fault.Removed, broken.Fault);
        Assert.Equal(after, broken.Seq);
        Assert.NotEqual(0, await VerifyCommandAsync(app));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task AuditVerify_NamesARowInsertedBehindTheHostsBack(StoreKind kind)
    {
        await using var app = await AppWithEntriesAsync(kind, 4);
        // A row slipped in with a made-up hash; the host then goes on writing after it.
        await BehindTheHostsBackAsync(app,
            "INSERT INTO audit_log (at, username, action, subject_type, subject_id, ip, prev_hash, hash) VALUES (1, 'ghost', 'resident.read', 'resident', '42', '10.0.0.1', @prev, @hash)",
            new { prev = new byte[32], hash = new byte[32] });
        long inserted;
        await using (var connection = await app.Store.OpenAsync())
        {
            inserted = await connection.ExecuteScalarAsync<long>("SELECT seq FROM audit_log WHERE username = 'ghost'");
        }
        var audit = app.Get<AuditLog>();
        await audit.WriteAsync(new ClaimsPrincipal(new ClaimsIdentity()), "127.0.0.1", "test.after", "resident", "7", null, null);

        var broken = (await AuditChain.VerifyAsync(app.Store)).First;
        Assert.NotNull(broken);
        Assert.Equal(AuditChain.Fault.Inserted, broken.Fault);
        Assert.Equal(inserted, broken.Seq);
        Assert.NotEqual(0, await VerifyCommandAsync(app));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task AuditVerify_NamesARowInsertedWithoutAHash(StoreKind kind)
    {
        await using var app = await AppWithEntriesAsync(kind, 3);
        await BehindTheHostsBackAsync(app, "INSERT INTO audit_log (at, username, action) VALUES (1, 'ghost', 'resident.read')");
        await app.Get<AuditLog>().WriteAsync(new ClaimsPrincipal(new ClaimsIdentity()), "127.0.0.1", "test.after", "resident", "7", null, null);

        var broken = (await AuditChain.VerifyAsync(app.Store)).First;
        Assert.NotNull(broken);
        Assert.Equal(AuditChain.Fault.Inserted, broken.Fault);
    }
}
