using System.Security.Cryptography;

namespace Fangyi.Core.Codes;

/// <summary>
/// The ES256 (ECDSA P-256) keys that sign citizen codes and passes, in a key file under the data folder. The
/// newest key signs; a key replaced by a rotation still verifies what it signed until its validity ends (the
/// longest code lifetime after the rotation), and a retired key verifies nothing. Devices fetch the public keys to
/// verify codes offline. Hosts sharing the data folder take up a rotation or retirement by polling the file.
/// </summary>
public sealed class CodeKeys
{
    /// <summary>How long a key verifies after it stops signing: the lifetime of a printed code, and a day's grace.</summary>
    public static readonly TimeSpan VerifiesAfterRotation = TimeSpan.FromDays(366);

    private readonly string _path;
    private volatile Dictionary<string, Entry> _byId;
    private volatile Entry _active;
    private (DateTime, long) _stamp;

    private sealed record Entry(string Id, DateTimeOffset Created, bool Retired, DateTimeOffset? NotAfter, ECDsa Key);

    private sealed record FileEntry(string Id, DateTimeOffset Created, bool Retired, string Pkcs8, DateTimeOffset? NotAfter = null);

    /// <summary>A key as offline verifiers see it: a JWK (EC P-256), its validity and whether it is retired.</summary>
    public sealed record PublicKey(string Kid, string Alg, string Kty, string Crv, string X, string Y, string Spki, DateTimeOffset NotBefore, DateTimeOffset? NotAfter, bool Retired, bool Active);

    private CodeKeys(string path)
    {
        _path = path;
        _stamp = Stamp(path);
        (_byId, _active) = Load(path);
    }

    public static CodeKeys OpenOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            Save(path, [NewEntry()]);
        }
        return new CodeKeys(path);
    }

    public string ActiveKeyId => _active.Id;

    public ECDsa Signer => _active.Key;

    /// <summary>The key that verifies a code signed under <paramref name="keyId"/>, unless unknown or retired.</summary>
    public ECDsa? Verifier(string keyId) => _byId.TryGetValue(keyId, out var e) && !e.Retired ? e.Key : null;

    public KeyState StateOf(string keyId, DateTimeOffset now) => !_byId.TryGetValue(keyId, out var e) ? KeyState.Unknown
        : e.Retired || (e.NotAfter is { } end && now >= end) ? KeyState.Retired
        : KeyState.Valid;

    public IReadOnlyList<PublicKey> PublicKeys() => _byId.Values.OrderBy(e => e.Created).Select(e =>
    {
        var p = e.Key.ExportParameters(false);
        return new PublicKey(e.Id, "ES256", "EC", "P-256", Base64Url(p.Q.X!), Base64Url(p.Q.Y!), Convert.ToBase64String(e.Key.ExportSubjectPublicKeyInfo()),
            e.Created, e.NotAfter, e.Retired, ReferenceEquals(e, _active));
    }).ToList();

    /// <summary>A new signing key; codes signed before still verify until the old key's validity ends.</summary>
    public string Rotate()
    {
        var now = DateTimeOffset.UtcNow;
        var entries = ReadFile(_path).Select(e => e.Retired || e.NotAfter is not null ? e : e with { NotAfter = now.Add(VerifiesAfterRotation) }).ToList();
        entries.Add(NewEntry());
        Save(_path, entries);
        Reload();
        return _active.Id;
    }

    /// <summary>Stops a key from verifying: every code it signed becomes invalid at once. False if there is no such key.</summary>
    public bool Retire(string keyId)
    {
        var entries = ReadFile(_path);
        if (!entries.Any(e => e.Id == keyId))
        {
            return false;
        }
        entries = entries.Select(e => e.Id == keyId ? e with { Retired = true } : e).ToList();
        if (entries.All(e => e.Retired))
        {
            // Something must sign tomorrow's codes.
            entries.Add(NewEntry());
        }
        Save(_path, entries);
        Reload();
        return true;
    }

    /// <summary>Reads the key file again if another process (the command line, another host) changed it.</summary>
    public bool ReloadIfChanged()
    {
        if (Stamp(_path) == _stamp)
        {
            return false;
        }
        Reload();
        return true;
    }

    private void Reload()
    {
        _stamp = Stamp(_path);
        (_byId, _active) = Load(_path);
    }

    private static (DateTime, long) Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : default;
    }

    private static FileEntry NewEntry()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new FileEntry(Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant(), DateTimeOffset.UtcNow, false, Convert.ToBase64String(key.ExportPkcs8PrivateKey()));
    }

    private static List<FileEntry> ReadFile(string path) => Identity.SecretFile.Read<List<FileEntry>>(path);

    private static (Dictionary<string, Entry>, Entry) Load(string path)
    {
        var entries = ReadFile(path).Select(f =>
        {
            var key = ECDsa.Create();
            key.ImportPkcs8PrivateKey(Convert.FromBase64String(f.Pkcs8), out _);
            return new Entry(f.Id, f.Created, f.Retired, f.NotAfter, key);
        }).ToDictionary(e => e.Id);
        // The newest key that is neither retired nor rotated out signs.
        var active = entries.Values.Where(e => !e.Retired).OrderBy(e => e.NotAfter is null ? 1 : 0).ThenBy(e => e.Created).LastOrDefault()
            ?? throw new InvalidDataException($"Code key file {path} has no usable key.");
        return (entries, active);
    }

    private static void Save(string path, List<FileEntry> entries) => Identity.SecretFile.Write(path, entries);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
