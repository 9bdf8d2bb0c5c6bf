using System.Collections.Concurrent;
using System.Formats.Cbor;
using System.Security.Cryptography;

namespace Fangyi.Core.Codes;

/// <summary>
/// Citizen codes and passes as COSE_Sign1 (RFC 9052) tokens signed with ES256, their CBOR in Base45 after the
/// prefix "FY1:" so the whole text suits a QR code's alphanumeric mode. A code verified once is remembered by
/// its exact text, so a door scanning the same code again costs a dictionary look-up, not an ECDSA check
/// (about 100 µs); expiry and revocation are still checked every time.
/// </summary>
public sealed class SignedCodes(CodeKeys keys, TimeProvider clock, ICodeRevocations? revocations = null)
{
    public const string Prefix = "FY1:";
    private const int Es256 = -7;
    private const int CacheLimit = 500_000;
    private readonly ConcurrentDictionary<string, CodeClaims> _verified = new(StringComparer.Ordinal);

    public string Issue(CodeKind kind, ReadOnlySpan<byte> subject, TimeSpan lifetime) => IssueCode(kind, subject, lifetime).Text;

    public IssuedCode IssueCode(CodeKind kind, ReadOnlySpan<byte> subject, TimeSpan lifetime)
    {
        var now = clock.GetUtcNow();
        var codeId = RandomNumberGenerator.GetBytes(12);
        var payload = new CborWriter(CborConformanceMode.Canonical);
        payload.WriteStartMap(5);
        payload.WriteInt32(1);
        payload.WriteInt32((int)kind);
        payload.WriteInt32(2);
        payload.WriteByteString(subject);
        payload.WriteInt32(3);
        payload.WriteInt64(now.ToUnixTimeSeconds());
        payload.WriteInt32(4);
        payload.WriteInt64(now.Add(lifetime).ToUnixTimeSeconds());
        payload.WriteInt32(5);
        payload.WriteByteString(codeId);
        payload.WriteEndMap();
        var payloadBytes = payload.Encode();

        var protectedHeader = ProtectedHeader(keys.ActiveKeyId);
        var signature = keys.Signer.SignData(SigStructure(protectedHeader, payloadBytes), HashAlgorithmName.SHA256);

        var cose = new CborWriter(CborConformanceMode.Lax);
        cose.WriteTag((CborTag)18);
        cose.WriteStartArray(4);
        cose.WriteByteString(protectedHeader);
        cose.WriteStartMap(0);
        cose.WriteEndMap();
        cose.WriteByteString(payloadBytes);
        cose.WriteByteString(signature);
        cose.WriteEndArray();
        var seconds = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        return new IssuedCode(Prefix + Base45.Encode(cose.Encode()), Convert.ToHexString(codeId).ToLowerInvariant(), seconds, seconds.Add(lifetime));
    }

    /// <summary>Forgets what was verified: after a key file changed or a revocation list was replaced.</summary>
    public void Forget() => _verified.Clear();


    public (CodeError Error, CodeClaims? Claims) Verify(string text)
    {
        if (!_verified.TryGetValue(text, out var claims))
        {
            var (error, fresh) = VerifySignature(text);
            if (error != CodeError.None)
            {
                return (error, null);
            }
            claims = fresh!;
            if (_verified.Count >= CacheLimit)
            {
                _verified.Clear();
            }
            _verified[text] = claims;
        }
        var now = clock.GetUtcNow();
        // The key may have been retired, or its validity ended, since the code was first seen.
        if (keys.StateOf(claims.KeyId, now) is var state and not KeyState.Valid)
        {
            _verified.TryRemove(text, out _);
            return (state == KeyState.Unknown ? CodeError.UnknownKey : CodeError.KeyRetired, null);
        }
        if (now >= claims.Expires)
        {
            return (CodeError.Expired, null);
        }
        if (now < claims.IssuedAt.AddMinutes(-5))
        {
            return (CodeError.NotYetValid, null);
        }
        if (revocations?.IsRevoked(claims) == true)
        {
            return (CodeError.Revoked, null);
        }
        return (CodeError.None, claims);
    }

    private (CodeError, CodeClaims?) VerifySignature(string text)
    {
        if (!text.StartsWith(Prefix, StringComparison.Ordinal) || Base45.TryDecode(text.AsSpan(Prefix.Length)) is not { } bytes)
        {
            return (CodeError.Format, null);
        }
        try
        {
            var cose = new CborReader(bytes, CborConformanceMode.Lax);
            if (cose.PeekState() == CborReaderState.Tag && cose.ReadTag() != (CborTag)18)
            {
                return (CodeError.Format, null);
            }
            if (cose.ReadStartArray() != 4)
            {
                return (CodeError.Format, null);
            }
            var protectedHeader = cose.ReadByteString();
            cose.SkipValue();
            var payloadBytes = cose.ReadByteString();
            var signature = cose.ReadByteString();
            cose.ReadEndArray();
            if (cose.BytesRemaining != 0)
            {
                return (CodeError.Format, null);
            }

            var (algorithm, keyId) = ReadProtectedHeader(protectedHeader);
            if (algorithm != Es256 || keyId is null)
            {
                return (CodeError.Format, null);
            }
            var state = keys.StateOf(keyId, clock.GetUtcNow());
            if (state != KeyState.Valid || keys.Verifier(keyId) is not { } verifier)
            {
                return (state == KeyState.Unknown ? CodeError.UnknownKey : CodeError.KeyRetired, null);
            }
            if (signature.Length != 64 || !verifier.VerifyData(SigStructure(protectedHeader, payloadBytes), signature, HashAlgorithmName.SHA256))
            {
                return (CodeError.Signature, null);
            }
            return ReadPayload(payloadBytes, keyId);
        }
        catch (CborContentException)
        {
            return (CodeError.Format, null);
        }
        catch (InvalidOperationException)
        {
            return (CodeError.Format, null);
        }
        catch (OverflowException)
        {
            // A header or payload integer above what its field holds (e.g. a key above int32).
            return (CodeError.Format, null);
        }
        catch (ArgumentException)
        {
            // A time outside DateTimeOffset's range, a key id that is not hex.
            return (CodeError.Format, null);
        }
    }

    private static (CodeError, CodeClaims?) ReadPayload(byte[] payloadBytes, string keyId)
    {
        var payload = new CborReader(payloadBytes, CborConformanceMode.Canonical);
        int? kind = null;
        byte[]? subject = null;
        long? issued = null, expires = null;
        var codeId = "";
        var count = payload.ReadStartMap();
        for (var i = 0; i < count; i++)
        {
            switch (payload.ReadInt32())
            {
                case 1: kind = payload.ReadInt32(); break;
                case 2: subject = payload.ReadByteString(); break;
                case 3: issued = payload.ReadInt64(); break;
                case 4: expires = payload.ReadInt64(); break;
                case 5: codeId = Convert.ToHexString(payload.ReadByteString()).ToLowerInvariant(); break;
                default: payload.SkipValue(); break;
            }
        }
        payload.ReadEndMap();
        if (kind is not (1 or 2) || subject is null || issued is null || expires is null)
        {
            return (CodeError.Format, null);
        }
        return (CodeError.None, new CodeClaims((CodeKind)kind, subject, DateTimeOffset.FromUnixTimeSeconds(issued.Value), DateTimeOffset.FromUnixTimeSeconds(expires.Value), keyId) { CodeId = codeId });
    }

    private static byte[] ProtectedHeader(string keyId)
    {
        var header = new CborWriter(CborConformanceMode.Canonical);
        header.WriteStartMap(2);
        header.WriteInt32(1);
        header.WriteInt32(Es256);
        header.WriteInt32(4);
        header.WriteByteString(Convert.FromHexString(keyId));
        header.WriteEndMap();
        return header.Encode();
    }

    private static (int? Algorithm, string? KeyId) ReadProtectedHeader(byte[] bytes)
    {
        var header = new CborReader(bytes, CborConformanceMode.Lax);
        int? algorithm = null;
        string? keyId = null;
        var count = header.ReadStartMap() ?? 0;
        for (var i = 0; i < count; i++)
        {
            switch (header.ReadInt32())
            {
                case 1: algorithm = header.ReadInt32(); break;
                case 4: keyId = Convert.ToHexString(header.ReadByteString()).ToLowerInvariant(); break;
                default: header.SkipValue(); break;
            }
        }
        return (algorithm, keyId);
    }

    // The bytes COSE_Sign1 signs: ["Signature1", protected, external_aad, payload].
    private static byte[] SigStructure(byte[] protectedHeader, byte[] payload)
    {
        var structure = new CborWriter(CborConformanceMode.Canonical);
        structure.WriteStartArray(4);
        structure.WriteTextString("Signature1");
        structure.WriteByteString(protectedHeader);
        structure.WriteByteString([]);
        structure.WriteByteString(payload);
        structure.WriteEndArray();
        return structure.Encode();
    }
}
