using Fangyi.Core.Storage;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Fangyi.Core.Status;

namespace Fangyi.Features.Checkpoint;

public sealed class CheckpointRules(CheckpointOptions options, Store store, TimeProvider clock, ILogger<CheckpointRules> log) : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private volatile CompiledRules _current = new(RulesDocument.Defaults);
    private DateTime _fileWrittenAt;
    private bool _loaded;
    private readonly SemaphoreSlim _publishing = new(1, 1);

    public void Dispose() => _publishing.Dispose();

    public string FilePath => Path.Combine(options.DataDir, "checkpoint-rules.json");

    public CompiledRules Current => _current;

    // Reads the rules file, writing the defaults there first if there is none.
    public async Task LoadAsync(CancellationToken ct = default)
    {
        if (!File.Exists(FilePath))
        {
            await WriteFileAsync(RulesDocument.Defaults, ct);
        }
        await ReloadIfChangedAsync(ct);
    }

    // Takes up an edited rules file. A file that does not parse or validate is logged and the rules in force stay.
    public async Task<bool> ReloadIfChangedAsync(CancellationToken ct = default)
    {
        var writtenAt = File.Exists(FilePath) ? File.GetLastWriteTimeUtc(FilePath) : default;
        if (writtenAt == _fileWrittenAt)
        {
            return false;
        }
        string text;
        try
        {
            text = await File.ReadAllTextAsync(FilePath, ct);
        }
        catch (IOException error)
        {
            log.LogWarning(error, "Checkpoint rules file could not be read; trying again shortly");
            return false;
        }
        _fileWrittenAt = writtenAt;
        var (document, problem) = Parse(text);
        if (document is null)
        {
            log.LogError("Checkpoint rules file {Path} refused ({Problem}); rules {Version} stay in force", FilePath, problem, _current.Version);
            return false;
        }
        if (_loaded && document.Version == _current.Version)
        {
            // A check names the version it was judged under, so one version has one content.
            log.LogWarning("Checkpoint rules file {Path} changed but kept version {Version}; give it a new version to apply it", FilePath, document.Version);
            return false;
        }
        await RememberAsync(document, text, null, ct);
        _current = new CompiledRules(document);
        _loaded = true;
        log.LogInformation("Checkpoint rules {Version} in force", document.Version);
        return true;
    }

    // A new version posted through the API: validated, stored, written to the file and in force at once.
    public async Task<(CompiledRules? Rules, string? Problem, bool Conflict)> PublishAsync(string text, long accountId, CancellationToken ct = default)
    {
        var (document, problem) = Parse(text);
        if (document is null)
        {
            return (null, problem, false);
        }
        await _publishing.WaitAsync(ct);
        try
        {
            if (!await RememberAsync(document, JsonSerializer.Serialize(document, Json), accountId, ct))
            {
                return (null, $"版本 {document.Version} 已存在", true);
            }
            await WriteFileAsync(document, ct);
            _fileWrittenAt = File.GetLastWriteTimeUtc(FilePath);
            _current = new CompiledRules(document);
            return (_current, null, false);
        }
        finally
        {
            _publishing.Release();
        }
    }

    // Parses and checks a rules document; returns the reason it is refused, in Chinese, if it is.
    public static (RulesDocument? Document, string? Problem) Parse(string text)
    {
        RulesDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<RulesDocument>(text, Json);
        }
        catch (JsonException error)
        {
            return (null, $"JSON 格式错误（第 {error.LineNumber + 1} 行）");
        }
        if (document is null || string.IsNullOrWhiteSpace(document.Version) || document.Version.Length > 64)
        {
            return (null, "缺少版本号 version（不超过64个字符）");
        }
        if (document.TravelDays is < 1 or > 60)
        {
            return (null, "travelDays 应为1至60天");
        }
        if (StatusNames.ParseColour(document.LocalColours.Positive) is null || StatusNames.ParseColour(document.LocalColours.MixedPositive) is null)
        {
            return (null, "localColours 只能是 green、yellow、red");
        }
        if (!document.Categories.ContainsKey(PlaceCategories.Other))
        {
            return (null, "categories 须包含 other（其他场所）");
        }
        foreach (var (category, rule) in document.Categories)
        {
            if (category.Length is 0 or > 32 || !category.All(c => char.IsAsciiLetterLower(c) || c == '_'))
            {
                return (null, $"类别名 {category} 只能用小写英文字母和下划线");
            }
            if (rule.WindowHours is < 1 or > 720)
            {
                return (null, $"{category}: windowHours 应为1至720小时，或不填（不查核酸）");
            }
            if (rule.AllowedColours.Count == 0 || rule.AllowedColours.Any(c => StatusNames.ParseColour(c) is null))
            {
                return (null, $"{category}: allowedColours 只能是 green、yellow、red，且不能为空");
            }
            if (rule.MinDoses is < 0 or > 9)
            {
                return (null, $"{category}: minDoses 应为0至9");
            }
        }
        return (document with { Version = document.Version.Trim() }, null);
    }

    // Keeps every version ever in force, so a check's rule version can always be looked up. False if the version was there.
    private async Task<bool> RememberAsync(RulesDocument document, string text, long? accountId, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO checkpoint_rules (version, document, created_at, account_id) VALUES (@version, @text, @now, @accountId) ON CONFLICT (version) DO NOTHING",
            new { version = document.Version, text, now = clock.GetUtcNow().ToUnixTimeMilliseconds(), accountId }, cancellationToken: ct));
        return inserted > 0;
    }

    private async Task WriteFileAsync(RulesDocument document, CancellationToken ct)
    {
        Directory.CreateDirectory(options.DataDir);
        var temp = FilePath + ".tmp";
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(document, Json), ct);
        File.Move(temp, FilePath, overwrite: true);
    }

    public sealed record VersionRow
    {
        public string Version { get; init; } = "";
        public long CreatedAt { get; init; }
        public long? AccountId { get; init; }
    }

    public async Task<List<VersionRow>> HistoryAsync(CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        return (await connection.QueryAsync<VersionRow>(new CommandDefinition(
            "SELECT version, created_at AS CreatedAt, account_id AS AccountId FROM checkpoint_rules ORDER BY created_at DESC, version", cancellationToken: ct))).AsList();
    }
}
