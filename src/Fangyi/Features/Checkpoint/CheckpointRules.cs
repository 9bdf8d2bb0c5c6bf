using Fangyi.Core.Storage;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Fangyi.Core.Status;

namespace Fangyi.Features.Checkpoint;

/// <summary>One category's rule as written in the rules file.</summary>
public sealed record CategoryRule
{
    /// <summary>How old (by sampling time) a negative result may be; null: no nucleic-acid result is asked for.</summary>
    public int? WindowHours { get; init; }

    public IReadOnlyList<string> AllowedColours { get; init; } = ["green"];

    public bool VaccinationRequired { get; init; }

    /// <summary>Doses that count as vaccinated when vaccination is required.</summary>
    public int MinDoses { get; init; }

    /// <summary>Whether an arrival from a medium/high-risk area within the travel days stops entry.</summary>
    public bool RiskAreaCheck { get; init; } = true;
}

public sealed record LocalColours
{
    /// <summary>The colour at least, while a person's latest result is positive.</summary>
    public string Positive { get; init; } = "red";

    /// <summary>The colour at least, while a person's latest result is mixed-positive awaiting the single-tube retest.</summary>
    public string MixedPositive { get; init; } = "red";
}

/// <summary>
/// The checkpoint rules (查验规则) as data: one versioned JSON document, kept as <c>checkpoint-rules.json</c> in the
/// data folder (edited there, or posted to POST /api/v1/checkpoint/rules), reloaded without a restart. Each check
/// records the version it was judged under.
/// </summary>
public sealed record RulesDocument
{
    public string Version { get; init; } = "";

    /// <summary>An arrival counts for this many days.</summary>
    public int TravelDays { get; init; } = 14;

    public LocalColours LocalColours { get; init; } = new();

    public Dictionary<string, CategoryRule> Categories { get; init; } = [];

    /// <summary>
    /// The defaults of DESIGN.md: 24 h for hospitals; 48 h for transport, large events, work and schools; 72 h for
    /// hotels, malls, scenic areas, residential compounds and the rest; green only; two doses for large events.
    /// </summary>
    public static RulesDocument Defaults => new()
    {
        Version = "default-1",
        TravelDays = 14,
        Categories = new()
        {
            [PlaceCategories.Hospital] = new() { WindowHours = 24 },
            [PlaceCategories.Transport] = new() { WindowHours = 48 },
            [PlaceCategories.Event] = new() { WindowHours = 48, VaccinationRequired = true, MinDoses = 2 },
            [PlaceCategories.Workplace] = new() { WindowHours = 48 },
            [PlaceCategories.School] = new() { WindowHours = 48 },
            [PlaceCategories.Mall] = new() { WindowHours = 72 },
            [PlaceCategories.Hotel] = new() { WindowHours = 72 },
            [PlaceCategories.Scenic] = new() { WindowHours = 72 },
            [PlaceCategories.Residential] = new() { WindowHours = 72 },
            [PlaceCategories.Other] = new() { WindowHours = 72 },
        },
    };
}

/// <summary>A category's rule ready for the hot path.</summary>
public sealed record PlaceRule(string Category, int? WindowHours, int AllowedColours, int MinDoses, bool RiskAreaCheck)
{
    public long? WindowMs => WindowHours * 3_600_000L;

    public bool Allows(HealthColour colour) => (AllowedColours & (1 << (int)colour)) != 0;
}

public sealed class CompiledRules
{
    private readonly Dictionary<string, PlaceRule> _rules;

    public CompiledRules(RulesDocument document)
    {
        Document = document;
        Colours = new ColourPolicy(StatusNames.ParseColour(document.LocalColours.Positive) ?? HealthColour.Red,
            StatusNames.ParseColour(document.LocalColours.MixedPositive) ?? HealthColour.Red);
        _rules = document.Categories.ToDictionary(c => c.Key, c => new PlaceRule(c.Key, c.Value.WindowHours,
            c.Value.AllowedColours.Select(StatusNames.ParseColour).Where(x => x is not null).Aggregate(0, (mask, x) => mask | (1 << (int)x!.Value)),
            c.Value.VaccinationRequired ? Math.Max(1, c.Value.MinDoses) : 0, c.Value.RiskAreaCheck));
    }

    public RulesDocument Document { get; }

    public string Version => Document.Version;

    public ColourPolicy Colours { get; }

    public long TravelMs => Document.TravelDays * 86_400_000L;

    public IReadOnlyCollection<string> Categories => _rules.Keys;

    /// <summary>A category's rule; a category the rules no longer name is judged as "other".</summary>
    public PlaceRule For(string category) => _rules.GetValueOrDefault(category) ?? _rules[PlaceCategories.Other];
}

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

    /// <summary>Reads the rules file, writing the defaults there first if there is none.</summary>
    public async Task LoadAsync(CancellationToken ct = default)
    {
        if (!File.Exists(FilePath))
        {
            await WriteFileAsync(RulesDocument.Defaults, ct);
        }
        await ReloadIfChangedAsync(ct);
    }

    /// <summary>Takes up an edited rules file. A file that does not parse or validate is logged and the rules in force stay.</summary>
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

    /// <summary>A new version posted through the API: validated, stored, written to the file and in force at once.</summary>
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

    /// <summary>Parses and checks a rules document; returns the reason it is refused, in Chinese, if it is.</summary>
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

    /// <summary>Keeps every version ever in force, so a check's rule version can always be looked up. False if the version was there.</summary>
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
