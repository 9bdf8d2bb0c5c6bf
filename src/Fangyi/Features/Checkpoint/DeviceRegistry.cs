using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Fangyi.Core.Http;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Storage;

namespace Fangyi.Features.Checkpoint;

// Checkpoint devices (查验设备): each registered to a place with a secret of its own, shown once at registration;
// the store keeps only its SHA-256 (a random 192-bit secret needs no slow hash). Every device is held in memory,
// so a request is authenticated without a query and a revocation on this host refuses the next request.
// A device signs requests with the header Authorization: Device D000123.secret.
public sealed class DeviceRegistry(Store store, TimeProvider clock, ILogger<DeviceRegistry> log)
{
    public const string Scheme = "Device ";

    public sealed record Device(long RowId, string Id, long PlaceId, string Name, byte[] SecretHash, bool Revoked);

    public sealed record Registered(string DeviceId, string Name, long PlaceId, string Secret);

    public sealed record DeviceView
    {
        public long Id { get; init; }
        public string DeviceId => IdOf(Id);
        public long PlaceId { get; init; }
        public string Name { get; init; } = "";
        public long Division { get; init; }
        public long? RevokedAt { get; init; }
        public long? LastSeenAt { get; init; }
        public long CreatedAt { get; init; }
    }

    private sealed record Row
    {
        public long Id { get; init; }
        public long PlaceId { get; init; }
        public string Name { get; init; } = "";
        public byte[] SecretHash { get; init; } = [];
        public long? RevokedAt { get; init; }
        public long ChangedAt { get; init; }
    }

    private const string RowColumns = "id, place_id AS PlaceId, name, secret_hash AS SecretHash, revoked_at AS RevokedAt, changed_at AS ChangedAt";

    private readonly ConcurrentDictionary<long, Device> _devices = new();
    private readonly ConcurrentDictionary<long, long> _seen = new();
    private long _changedSince;

    public int Count => _devices.Count;

    public static string IdOf(long rowId) => "D" + rowId.ToString("D6", CultureInfo.InvariantCulture);

    public static long RowOf(ReadOnlySpan<char> deviceId) =>
        deviceId.Length >= 2 && (deviceId[0] is 'D' or 'd') && long.TryParse(deviceId[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var row) ? row : 0;

    public async Task LoadAsync(CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        foreach (var row in await connection.QueryAsync<Row>(new CommandDefinition($"SELECT {RowColumns} FROM devices", cancellationToken: ct)))
        {
            Keep(row);
        }
    }

    // Devices registered or revoked by another host (or by this one a moment ago), read by their change time.
    public async Task ReloadChangedAsync(CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        // A minute of overlap: hosts' clocks and commit order differ a little; reading a row twice does no harm.
        var since = Interlocked.Read(ref _changedSince) - 60_000;
        foreach (var row in await connection.QueryAsync<Row>(new CommandDefinition($"SELECT {RowColumns} FROM devices WHERE changed_at >= @since", new { since }, cancellationToken: ct)))
        {
            Keep(row);
        }
    }

    private void Keep(Row row)
    {
        if (_devices.TryGetValue(row.Id, out var held) && ((row.RevokedAt is not null && !held.Revoked) || !held.SecretHash.AsSpan().SequenceEqual(row.SecretHash)))
        {
            _checked.Clear();
        }
        _devices[row.Id] = new Device(row.Id, IdOf(row.Id), row.PlaceId, row.Name, row.SecretHash, row.RevokedAt is not null);
        if (row.ChangedAt > Interlocked.Read(ref _changedSince))
        {
            Interlocked.Exchange(ref _changedSince, row.ChangedAt);
        }
    }

    // Headers whose secret was checked, to the device they name: a device sends the same header all day. Emptied
    // on every revocation, and the device is looked up (and its revocation checked) on each request regardless.
    private readonly ConcurrentDictionary<string, long> _checked = new(StringComparer.Ordinal);

    // The device an Authorization header names, if its secret is right and it is not revoked.
    public ApiProblem? Authenticate(string? header, out Device? device)
    {
        device = null;
        if (header is not null && _checked.TryGetValue(header, out var known) && _devices.TryGetValue(known, out var seen))
        {
            device = seen.Revoked ? null : seen;
            return seen.Revoked ? CheckpointProblems.DeviceRevoked : null;
        }
        if (header is null || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return CheckpointProblems.DeviceUnknown;
        }
        var token = header.AsSpan(Scheme.Length).Trim();
        var dot = token.IndexOf('.');
        if (dot <= 0 || token.Length - dot - 1 is < 8 or > 128 || !_devices.TryGetValue(RowOf(token[..dot]), out var found))
        {
            return CheckpointProblems.DeviceUnknown;
        }
        Span<byte> secret = stackalloc byte[512];
        var length = Encoding.UTF8.GetBytes(token[(dot + 1)..], secret);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(secret[..length], hash);
        if (!CryptographicOperations.FixedTimeEquals(hash, found.SecretHash))
        {
            return CheckpointProblems.DeviceUnknown;
        }
        if (found.Revoked)
        {
            return CheckpointProblems.DeviceRevoked;
        }
        if (_checked.Count > 100_000)
        {
            _checked.Clear();
        }
        _checked[header] = found.RowId;
        device = found;
        return null;
    }

    // Notes that a device was heard from; written to the store every few seconds, not on each request.
    public void Seen(Device device) => _seen[device.RowId] = clock.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task FlushSeenAsync(CancellationToken ct = default)
    {
        if (_seen.IsEmpty)
        {
            return;
        }
        var batch = _seen.ToArray();
        foreach (var (row, at) in batch)
        {
            _seen.TryRemove(new KeyValuePair<long, long>(row, at));
        }
        await using var connection = await store.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE devices SET last_seen_at = @at WHERE id = @row",
            batch.Select(b => new { row = b.Key, at = b.Value }), tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    // Registers devices at a place in one transaction; each gets a fresh secret, returned here and nowhere else.
    public async Task<List<Registered>> RegisterAsync(Place place, IReadOnlyList<string> names, long? accountId, CancellationToken ct = default) =>
        await RegisterAsync(place, names.Select(n => (n, NewSecret())).ToList(), accountId, ct);

    // Registers devices with given secrets: only the demo city uses it, for a documented kiosk key.
    internal async Task<List<Registered>> RegisterAsync(Place place, IReadOnlyList<(string Name, string Secret)> devices, long? accountId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var registered = new List<Registered>(devices.Count);
        var rows = new List<Row>(devices.Count);
        await using var connection = await store.OpenAsync(ct);
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText =
                "INSERT INTO devices (place_id, name, secret_hash, division, created_at, changed_at, account_id) VALUES (@place, @name, @hash, @division, @now, @now, @account) RETURNING id";
            var p = insert.AddParameters( "place", "name", "hash", "division", "now", "account");
            p[0].Value = place.Id;
            p[3].Value = place.Division;
            p[4].Value = now;
            p[5].Value = accountId is { } account ? account : DBNull.Value;
            foreach (var (name, secret) in devices)
            {
                var hash = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
                p[1].Value = name;
                p[2].Value = hash;
                var id = Convert.ToInt64(await insert.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
                rows.Add(new Row { Id = id, PlaceId = place.Id, Name = name, SecretHash = hash, ChangedAt = now });
                registered.Add(new Registered(IdOf(id), name, place.Id, secret));
            }
            await tx.CommitAsync(ct);
        }
        rows.ForEach(Keep);
        log.LogInformation("{Count} checkpoint devices registered at place {Place}", rows.Count, place.Id);
        return registered;
    }

    // Revokes a device within a jurisdiction; from the next request on it is refused. False if there is no such device there.
    public async Task<bool> RevokeAsync(string deviceId, Scope scope, CancellationToken ct = default)
    {
        var row = RowOf(deviceId);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await store.OpenAsync(ct);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE devices SET revoked_at = COALESCE(revoked_at, @now), changed_at = @now WHERE id = @row AND division BETWEEN @low AND @high",
            new { now, row, low = scope.Low, high = scope.High }, cancellationToken: ct));
        if (changed == 0)
        {
            return false;
        }
        if (_devices.TryGetValue(row, out var device))
        {
            _devices[row] = device with { Revoked = true };
            _checked.Clear();
        }
        else
        {
            await ReloadChangedAsync(ct);
        }
        return true;
    }

    // A new secret for a device of the jurisdiction: the old one is refused from the next request, on this host at
    // once and on others at their next reload. Null if there is no such live device there.
    public async Task<Registered?> RotateAsync(string deviceId, Scope scope, CancellationToken ct = default) =>
        await RotateAsync(RowOf(deviceId), scope.Low, scope.High, ct);

    private async Task<Registered?> RotateAsync(long row, long low, long high, CancellationToken ct)
    {
        var secret = NewSecret();
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await store.OpenAsync(ct);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE devices SET secret_hash = @hash, changed_at = @now WHERE id = @row AND revoked_at IS NULL AND division BETWEEN @low AND @high",
            new { hash, now, row, low, high }, cancellationToken: ct));
        if (changed == 0)
        {
            return null;
        }
        var fresh = await connection.QuerySingleAsync<Row>(new CommandDefinition($"SELECT {RowColumns} FROM devices WHERE id = @row", new { row }, cancellationToken: ct));
        Keep(fresh);
        return new Registered(IdOf(row), fresh.Name, fresh.PlaceId, secret);
    }

    // The alphabet of enrolment codes: no 0/O, 1/I/L, so a code read off a screen is typed right.
    private const string EnrolmentAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    public const int EnrolmentCodeLength = 8;

    public static readonly TimeSpan EnrolmentLifetime = TimeSpan.FromHours(24);

    public sealed record Enrolment(string DeviceId, string Code, DateTimeOffset ExpiresAt);

    // A one-time enrolment code (开通码) for a device of the jurisdiction, valid a day: the kiosk's set-up screen
    // exchanges it for a fresh key, so the key itself is never typed or put in a link. Earlier unused codes of the
    // device stop working. Null if there is no such live device there.
    public async Task<Enrolment?> CreateEnrolmentAsync(string deviceId, Scope scope, long? accountId, CancellationToken ct = default)
    {
        var row = RowOf(deviceId);
        if (!_devices.TryGetValue(row, out var device) || device.Revoked)
        {
            await ReloadChangedAsync(ct);
        }
        var now = clock.GetUtcNow();
        await using var connection = await store.OpenAsync(ct);
        var division = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT division FROM devices WHERE id = @row AND revoked_at IS NULL AND division BETWEEN @low AND @high", new { row, low = scope.Low, high = scope.High }, cancellationToken: ct));
        if (division is null)
        {
            return null;
        }
        var code = string.Create(EnrolmentCodeLength, 0, (chars, _) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = EnrolmentAlphabet[RandomNumberGenerator.GetInt32(EnrolmentAlphabet.Length)];
            }
        });
        var expires = now.Add(EnrolmentLifetime);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE device_enrolments SET used_at = @now WHERE device_id = @row AND used_at IS NULL",
            new { row, now = now.ToUnixTimeMilliseconds() }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO device_enrolments (code_hash, device_id, division, created_at, expires_at, account_id) VALUES (@hash, @row, @division, @now, @expires, @accountId)",
            new { hash = EnrolmentHash(code), row, division, now = now.ToUnixTimeMilliseconds(), expires = expires.ToUnixTimeMilliseconds(), accountId }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return new Enrolment(IdOf(row), code, expires);
    }

    // Exchanges an unused, unexpired enrolment code for the device's new key (once); null for any other code.
    public async Task<Registered?> EnrolAsync(string? code, CancellationToken ct = default)
    {
        var normalized = new string((code ?? "").Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
        if (normalized.Length != EnrolmentCodeLength)
        {
            return null;
        }
        var hash = EnrolmentHash(normalized);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        long? row;
        await using (var connection = await store.OpenAsync(ct))
        {
            // One statement takes the code: two kiosks racing with the same code cannot both win.
            row = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                "UPDATE device_enrolments SET used_at = @now WHERE code_hash = @hash AND used_at IS NULL AND expires_at > @now RETURNING device_id",
                new { hash, now }, cancellationToken: ct));
        }
        return row is null ? null : await RotateAsync(row.Value, 0, long.MaxValue, ct);
    }

    private static byte[] EnrolmentHash(string code) => SHA256.HashData(Encoding.UTF8.GetBytes("fangyi-enrolment:" + code));

    public static Task<List<DeviceView>> ListAsync(ScopedDb db, long? placeId, long after, int limit, CancellationToken ct = default) =>
        db.QueryAsync<DeviceView>(
            $"SELECT id, place_id AS PlaceId, name, division, revoked_at AS RevokedAt, last_seen_at AS LastSeenAt, created_at AS CreatedAt FROM devices WHERE {{scope:division}}{(placeId is null ? "" : " AND place_id = @placeId")} AND id > @after ORDER BY id LIMIT @limit",
            new { placeId, after, limit = Math.Clamp(limit, 1, 5000) }, ct);

    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}
