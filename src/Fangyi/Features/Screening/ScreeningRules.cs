using System.Text.Json;
using Dapper;
using Fangyi.Core.Storage;

namespace Fangyi.Features.Screening;

/// <summary>
/// The screening rules in force: the newest version in screening_policies (the defaults are written there at the first
/// start), replaced by posting a new version. A version has one content; each decision names the version it used.
/// </summary>
public sealed class ScreeningRules(Store store, TimeProvider clock, ILogger<ScreeningRules> log) : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
    };

    private volatile ScreeningPolicy _current = ScreeningPolicy.Defaults;
    private readonly SemaphoreSlim _publishing = new(1, 1);

    public ScreeningPolicy Current => _current;

    public void Dispose() => _publishing.Dispose();

    public async Task LoadAsync(CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        var text = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT document FROM screening_policies ORDER BY created_at DESC, version DESC LIMIT 1", cancellationToken: ct));
        if (text is null)
        {
            await RememberAsync(ScreeningPolicy.Defaults, null, ct);
            _current = ScreeningPolicy.Defaults;
            return;
        }
        var (policy, problem) = Parse(text);
        if (policy is null)
        {
            log.LogError("Stored screening rules refused ({Problem}); the defaults are in force", problem);
            return;
        }
        _current = policy;
    }

    /// <summary>A new version: validated, stored and in force at once on this host (others take it up at their next start).</summary>
    public async Task<(ScreeningPolicy? Policy, string? Problem, bool Conflict)> PublishAsync(string text, long accountId, CancellationToken ct = default)
    {
        var (policy, problem) = Parse(text);
        if (policy is null)
        {
            return (null, problem, false);
        }
        await _publishing.WaitAsync(ct);
        try
        {
            if (!await RememberAsync(policy, accountId, ct))
            {
                return (null, $"版本 {policy.Version} 已存在", true);
            }
            _current = policy;
            return (policy, null, false);
        }
        finally
        {
            _publishing.Release();
        }
    }

    /// <summary>Reads a version that was in force, for a case decided under it.</summary>
    public async Task<ScreeningPolicy?> VersionAsync(string version, CancellationToken ct = default)
    {
        if (version == _current.Version)
        {
            return _current;
        }
        await using var connection = await store.OpenAsync(ct);
        var text = await connection.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT document FROM screening_policies WHERE version = @version", new { version }, cancellationToken: ct));
        return text is null ? null : Parse(text).Policy;
    }

    private async Task<bool> RememberAsync(ScreeningPolicy policy, long? accountId, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO screening_policies (version, document, account_id, created_at) VALUES (@version, @document, @accountId, @now) ON CONFLICT (version) DO NOTHING",
            new { version = policy.Version, document = JsonSerializer.Serialize(policy, Json), accountId, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken: ct)) > 0;
    }

    /// <summary>Parses and checks a rules document; the reason it is refused, in Chinese, if it is.</summary>
    public static (ScreeningPolicy? Policy, string? Problem) Parse(string text)
    {
        ScreeningPolicy? policy;
        try
        {
            policy = JsonSerializer.Deserialize<ScreeningPolicy>(text, Json);
        }
        catch (JsonException error)
        {
            return (null, $"JSON 格式错误（第 {error.LineNumber + 1} 行）");
        }
        if (policy is null || string.IsNullOrWhiteSpace(policy.Version) || policy.Version.Length > 64)
        {
            return (null, "缺少版本号 version（不超过64个字符）");
        }
        if (policy.VerifyHighHours is < 1 or > 72 || policy.VerifyNormalHours is < 1 or > 168)
        {
            return (null, "核实时限 verifyHighHours 应为1至72小时，verifyNormalHours 应为1至168小时");
        }
        if (!policy.Categories.Values.Any(c => c.Action == PolicyActions.Cleared) || policy.ClearReasons.Count == 0)
        {
            return (null, "须有一个排除类别（action 为 cleared）和至少一个排除原因 clearReasons");
        }
        foreach (var (key, category) in policy.Categories)
        {
            if (key.Length is 0 or > 32 || !key.All(c => char.IsAsciiLetterLower(c) || c == '_'))
            {
                return (null, $"类别名 {key} 只能用小写英文字母和下划线");
            }
            if (string.IsNullOrWhiteSpace(category.Name) || !PolicyActions.All.Contains(category.Action))
            {
                return (null, $"{key}: 须有中文名称 name，action 只能是 centralised、home_isolation、monitoring 或 cleared");
            }
            if (category.Action != PolicyActions.Cleared && category.Days is < 1 or > 60)
            {
                return (null, $"{key}: 管控天数 days 应为1至60天");
            }
            if (category.MonitorDays is < 0 or > 60 || category.TestDays.Any(d => d < 1 || d > Math.Max(category.Days, 1)))
            {
                return (null, $"{key}: 健康监测天数 monitorDays 应为0至60天，检测日 testDays 须在管控天数之内");
            }
        }
        return (policy, null);
    }
}
