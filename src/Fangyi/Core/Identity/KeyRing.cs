using System.Security.Cryptography;
using System.Text;

namespace Fangyi.Core.Identity;

/// <summary>
/// The keys that protect identity numbers at rest, kept in a key file under the data folder (created at
/// first start, readable by the owner only). New rows use the active key; a row records its key id so an
/// older key still opens it until <c>fangyi keys rotate</c> has moved every row to the new one.
/// A host re-reads the file when it changes, so a rotation reaches running hosts without a restart.
/// </summary>
public sealed class KeyRing
{
    private const int HashLength = 16;
    private const int NonceLength = 12;
    private const int TagLength = 16;

    private readonly string _path;
    private volatile Snapshot _snapshot;
    private long _nextCheck;

    private sealed record Snapshot(IdentityKey Active, Dictionary<int, IdentityKey> ById, IdentityKey[] Live, DateTime WrittenAt);

    private sealed record KeyFile(int Active, List<KeyFileEntry> Keys);

    private sealed record KeyFileEntry(int Id, DateTimeOffset Created, string Encryption, string Mac, bool Retired);

    private KeyRing(string path, Snapshot snapshot)
    {
        _path = path;
        _snapshot = snapshot;
    }

    public string Path => _path;

    public IdentityKey Active => Current.Active;

    public IReadOnlyCollection<IdentityKey> All => Current.ById.Values;

    /// <summary>Opens the key file, creating it with a first key if there is none.</summary>
    public static KeyRing OpenOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            Write(path, new KeyFile(1, [NewEntry(1)]));
        }
        return new KeyRing(path, Read(path));
    }

    /// <summary>Adds a new key and makes it the active one; older keys stay until no row uses them.</summary>
    public IdentityKey AddActiveKey()
    {
        var file = ReadFile(_path);
        var id = file.Keys.Max(k => k.Id) + 1;
        file.Keys.Add(NewEntry(id));
        Write(_path, file with { Active = id });
        Reload();
        return Active;
    }

    /// <summary>Marks keys retired: they no longer take part in look-ups. Their material stays for old backups.</summary>
    public void Retire(IEnumerable<int> ids)
    {
        var retire = ids.ToHashSet();
        var file = ReadFile(_path);
        Write(_path, file with { Keys = file.Keys.Select(k => retire.Contains(k.Id) && k.Id != file.Active ? k with { Retired = true } : k).ToList() });
        Reload();
    }

    public void Reload() => _snapshot = Read(_path);

    private Snapshot Current
    {
        get
        {
            var now = Environment.TickCount64;
            if (now >= Interlocked.Read(ref _nextCheck))
            {
                Interlocked.Exchange(ref _nextCheck, now + 2000);
                try
                {
                    if (File.GetLastWriteTimeUtc(_path) != _snapshot.WrittenAt)
                    {
                        _snapshot = Read(_path);
                    }
                }
                catch (IOException)
                {
                    // A rotation is rewriting the file; keep the keys we have and look again shortly.
                }
            }
            return _snapshot;
        }
    }

    /// <summary>The look-up hash under the active key: HMAC of document type and number, cut to 16 bytes.</summary>
    public byte[] Hash(string docType, string number) => Hash(Active, docType, number);

    /// <summary>The hashes under every live key, for look-ups that must also find rows a rotation has not reached.</summary>
    public byte[][] LookupHashes(string docType, string number) => Current.Live.Select(k => Hash(k, docType, number)).ToArray();

    /// <summary>The same, taking the hash under <paramref name="known"/> as already made rather than making it twice.</summary>
    public byte[][] LookupHashes(string docType, string number, IdentityKey known, byte[] knownHash) =>
        Current.Live.Select(k => ReferenceEquals(k, known) ? knownHash : Hash(k, docType, number)).ToArray();

    public static byte[] Hash(IdentityKey key, string docType, string number)
    {
        Span<byte> full = stackalloc byte[32];
        HMACSHA256.HashData(key.Mac, Encoding.UTF8.GetBytes(docType + ":" + number), full);
        return full[..HashLength].ToArray();
    }

    public byte[] Encrypt(string plain) => Encrypt(Active, plain);

    /// <summary>Layout: key id (4 bytes) | nonce (12) | tag (16) | ciphertext. Bound to the key id only.</summary>
    public static byte[] Encrypt(IdentityKey key, string plain) => Encrypt(key, plain, []);

    /// <summary>
    /// The same, with the associated data also naming what the value is bound to (see <see cref="Binding"/>):
    /// a ciphertext copied to another row, or to another field of the same row, no longer opens.
    /// </summary>
    public static byte[] Encrypt(IdentityKey key, string plain, ReadOnlySpan<byte> boundTo)
    {
        var data = Encoding.UTF8.GetBytes(plain);
        var blob = new byte[4 + NonceLength + TagLength + data.Length];
        BitConverter.TryWriteBytes(blob.AsSpan(0, 4), key.Id);
        var nonce = blob.AsSpan(4, NonceLength);
        NextNonce(nonce);
        SealerFor(key).Encrypt(nonce, data, blob.AsSpan(4 + NonceLength + TagLength), blob.AsSpan(4 + NonceLength, TagLength), AssociatedData(key.Id, boundTo));
        return blob;
    }

    /// <summary>What a resident's field is bound to: the field's name and the row's look-up hash.</summary>
    public static byte[] Binding(string field, ReadOnlySpan<byte> idHash)
    {
        var name = Encoding.ASCII.GetBytes(field + ":");
        var bytes = new byte[name.Length + idHash.Length];
        name.CopyTo(bytes, 0);
        idHash.CopyTo(bytes.AsSpan(name.Length));
        return bytes;
    }

    private static byte[] AssociatedData(int keyId, ReadOnlySpan<byte> boundTo)
    {
        var data = new byte[4 + boundTo.Length];
        BitConverter.TryWriteBytes(data.AsSpan(0, 4), keyId);
        boundTo.CopyTo(data.AsSpan(4));
        return data;
    }

    /// <summary>The key a ciphertext was made with, if the key file holds it.</summary>
    public IdentityKey? KeyOf(byte[] blob) => blob.Length >= 4 && Current.ById.TryGetValue(BitConverter.ToInt32(blob, 0), out var key) ? key : null;

    // Per thread, the cipher of the last key used and a stock of random nonce bytes: a new AesGcm and a call to
    // the OS's random source for every 12 bytes cost about 4 µs of the 5 µs an ID number took to seal, and
    // imports seal two values a row. The stock comes from the same CSPRNG and each byte is handed out once.
    [ThreadStatic]
    private static AesGcm? _sealer;

    [ThreadStatic]
    private static IdentityKey? _sealerKey;

    [ThreadStatic]
    private static byte[]? _nonces;

    [ThreadStatic]
    private static int _nonceAt;

    private static AesGcm SealerFor(IdentityKey key)
    {
        if (_sealer is null || !ReferenceEquals(_sealerKey, key))
        {
            _sealer?.Dispose();
            _sealer = new AesGcm(key.Encryption, TagLength);
            _sealerKey = key;
        }
        return _sealer;
    }

    private static void NextNonce(Span<byte> nonce)
    {
        if (_nonces is null || _nonceAt + NonceLength > _nonces.Length)
        {
            _nonces ??= new byte[NonceLength * 256];
            RandomNumberGenerator.Fill(_nonces);
            _nonceAt = 0;
        }
        var stock = _nonces.AsSpan(_nonceAt, NonceLength);
        stock.CopyTo(nonce);
        stock.Clear();
        _nonceAt += NonceLength;
    }

    public string Decrypt(byte[] blob) => Decrypt(blob, []);

    /// <summary>Opens a ciphertext made with the same binding; anything else throws a <see cref="CryptographicException"/>.</summary>
    public string Decrypt(byte[] blob, ReadOnlySpan<byte> boundTo)
    {
        if (blob.Length < 4 + NonceLength + TagLength)
        {
            throw new CryptographicException("Ciphertext too short.");
        }
        var keyId = BitConverter.ToInt32(blob, 0);
        if (!Current.ById.TryGetValue(keyId, out var key))
        {
            Reload();
            key = _snapshot.ById.TryGetValue(keyId, out var reloaded) ? reloaded : throw new CryptographicException($"Identity key {keyId} is not in the key file.");
        }
        var plain = new byte[blob.Length - 4 - NonceLength - TagLength];
        using var aes = new AesGcm(key.Encryption, TagLength);
        aes.Decrypt(blob.AsSpan(4, NonceLength), blob.AsSpan(4 + NonceLength + TagLength), blob.AsSpan(4 + NonceLength, TagLength), plain, AssociatedData(keyId, boundTo));
        return Encoding.UTF8.GetString(plain);
    }

    private static KeyFileEntry NewEntry(int id) =>
        new(id, DateTimeOffset.UtcNow, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), false);

    private static KeyFile ReadFile(string path) => SecretFile.Read<KeyFile>(path);

    private static Snapshot Read(string path)
    {
        var writtenAt = File.GetLastWriteTimeUtc(path);
        var file = ReadFile(path);
        var keys = file.Keys.Select(k => new IdentityKey(k.Id, k.Created, Convert.FromBase64String(k.Encryption), Convert.FromBase64String(k.Mac), k.Retired)).ToDictionary(k => k.Id);
        var active = keys.TryGetValue(file.Active, out var a) ? a : throw new InvalidDataException($"Key file {path} names active key {file.Active}, which it does not hold.");
        var live = keys.Values.Where(k => !k.Retired).OrderByDescending(k => k.Id == active.Id).ThenByDescending(k => k.Id).ToArray();
        return new Snapshot(active, keys, live, writtenAt);
    }

    private static void Write(string path, KeyFile file) => SecretFile.Write(path, file);
}
