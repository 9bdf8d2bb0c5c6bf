using System.Collections.Concurrent;
using System.Security.Cryptography;
using Fangyi.Core.Identity;

namespace Fangyi.Core.Status;

// The look-up hash (HMAC-SHA256) of a number under a key id, as KeyRing.Hash makes it, for the index's
// readers: per thread, an HMAC already keyed with each key. The one-shot HMACSHA256.HashData sets a key up every
// call, which cost several times the hash itself on the hot path.
internal sealed class LookupHasher(KeyRing keys) : IDisposable
{
    private readonly ConcurrentDictionary<int, IdentityKey> _keyCache = new();
    private readonly ThreadLocal<Dictionary<int, IncrementalHash>> _macs = new(() => [], trackAllValues: true);

    /// <summary>False when the key id is not in the key file.</summary>
    public bool Mac(int keyId, ReadOnlySpan<byte> text, Span<byte> mac)
    {
        var macs = _macs.Value!;
        if (!macs.TryGetValue(keyId, out var hmac))
        {
            if (KeyFor(keyId) is not { } key)
            {
                return false;
            }
            hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key.Mac);
            macs[keyId] = hmac;
        }
        hmac.AppendData(text);
        hmac.GetHashAndReset(mac);
        return true;
    }

    private IdentityKey? KeyFor(int keyId)
    {
        if (_keyCache.TryGetValue(keyId, out var key))
        {
            return key;
        }
        // Retired keys stay in the key file, so hashes the index holds under one still find their people.
        key = keys.All.FirstOrDefault(k => k.Id == keyId);
        if (key is not null)
        {
            _keyCache[keyId] = key;
        }
        return key;
    }

    public void Dispose()
    {
        foreach (var hmac in _macs.Values.SelectMany(m => m.Values))
        {
            hmac.Dispose();
        }
        _macs.Dispose();
    }
}
