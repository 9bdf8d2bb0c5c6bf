using System.Security.Cryptography;

namespace Fangyi.Core.Codes;

/// <summary>
/// The ES256 (ECDSA P-256) keys that sign citizen codes and passes, in a key file under the data folder. The
/// newest key signs; older keys still verify what they signed until they are retired. Devices fetch the
/// public keys to verify codes offline.
/// </summary>
public sealed class CodeKeys
{
    private readonly string _path;
    private volatile Dictionary<string, Entry> _byId;
    private volatile Entry _active;

    private sealed record Entry(string Id, DateTimeOffset Created, bool Retired, ECDsa Key);

    private sealed record FileEntry(string Id, DateTimeOffset Created, bool Retired, string Pkcs8);

    public sealed record PublicKey(string KeyId, string Algorithm, string SubjectPublicKeyInfo, bool Retired);

    private CodeKeys(string path)
    {
        _path = path;
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

    public IReadOnlyList<PublicKey> PublicKeys() => _byId.Values
        .Select(e => new PublicKey(e.Id, "ES256", Convert.ToBase64String(e.Key.ExportSubjectPublicKeyInfo()), e.Retired))
        .ToList();

    /// <summary>A new signing key; codes signed before still verify.</summary>
    public string Rotate()
    {
        var entries = ReadFile(_path);
        entries.Add(NewEntry());
        Save(_path, entries);
        (_byId, _active) = Load(_path);
        return _active.Id;
    }

    /// <summary>Stops a key from verifying: every code it signed becomes invalid at once.</summary>
    public void Retire(string keyId)
    {
        var entries = ReadFile(_path).Select(e => e.Id == keyId ? e with { Retired = true } : e).ToList();
        Save(_path, entries);
        (_byId, _active) = Load(_path);
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
            return new Entry(f.Id, f.Created, f.Retired, key);
        }).ToDictionary(e => e.Id);
        var active = entries.Values.Where(e => !e.Retired).MaxBy(e => e.Created)
            ?? throw new InvalidDataException($"Code key file {path} has no usable key.");
        return (entries, active);
    }

    private static void Save(string path, List<FileEntry> entries) => Identity.SecretFile.Write(path, entries);
}
