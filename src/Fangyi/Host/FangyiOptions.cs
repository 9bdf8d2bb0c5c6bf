namespace Fangyi.Host;

/// <summary>How one Fangyi host is started: by the command line, by tests and by benchmarks alike.</summary>
public sealed record FangyiOptions
{
    public const string DefaultStore = "./data/fangyi.db";

    /// <summary>A SQLite file path or a PostgreSQL connection string.</summary>
    public string Store { get; init; } = Environment.GetEnvironmentVariable("FANGYI_STORE") is { Length: > 0 } store ? store : DefaultStore;

    /// <summary>Folder for the identity key file and the sign-in keys.</summary>
    public string DataDir { get; init; } = Environment.GetEnvironmentVariable("FANGYI_DATA") is { Length: > 0 } data ? data : "./data";

    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>Seed the demo city (Cangzhou, synthetic residents, one account per role) into an empty store.</summary>
    public bool Demo { get; init; }

    public int DemoResidents { get; init; } = 100_000;

    public int LoginsPerMinute { get; init; } = 20;

    /// <summary>Requests one address may make per minute to the public (resident) pages and API.</summary>
    public int PublicPerMinute { get; init; } = 120;

    /// <summary>Days a checkpoint check is kept before it is purged.</summary>
    public int CheckRetentionDays { get; init; } = 28;

    /// <summary>
    /// Addresses (or CIDR networks) of the reverse proxies whose X-Forwarded-For/-Proto are believed. None by default:
    /// a host reached directly must not take a client's word for its own address.
    /// </summary>
    public IReadOnlyList<string> KnownProxies { get; init; } = [];

    /// <summary>TLS ends at a proxy in front: cookies are always Secure and HSTS is always sent.</summary>
    public bool TlsAtProxy { get; init; }

    /// <summary>
    /// Verifications one checkpoint device may make per minute (a door sees one person every few seconds); 0 turns
    /// the limit off (the checkpoint benchmark plays thousands of kiosks flat out).
    /// </summary>
    public int DeviceChecksPerMinute { get; init; } = 20;

    /// <summary>Verifications a device may make at once above its rate, e.g. a family passing together.</summary>
    public int DeviceCheckBurst { get; init; } = 10;

    public string KeyFile => Path.Combine(DataDir, "keys.json");

    /// <summary>The ES256 keys that sign citizen codes and passes.</summary>
    public string CodeKeyFile => Path.Combine(DataDir, "codes.json");
}
