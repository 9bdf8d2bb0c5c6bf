using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Fangyi.Core.Identity;
using Fangyi.Core.Status;

namespace Fangyi.Features.Checkpoint;

// The "HB1" health-code format (docs/health-code-hb1.md): HB1: + base64url(payload) + . + base64url(tag),
// where payload is the UTF-8 text 1|keyId|docType|idNumber|name|G/Y/R|issuedAt|expiresAt (Unix seconds) and
// tag is the first 16 bytes of HMAC-SHA256 over the text before the dot, under the province's key of that id.
// The keys are in health-code-keys.json in the data folder (created with one demo key on first start).
public sealed class Hb1HealthCodes : IHealthCodeDecoder
{
    public const string CodePrefix = "HB1:";
    private const int TagBytes = 16;
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly IReadOnlyDictionary<string, byte[]> _keys;

    public Hb1HealthCodes(IReadOnlyDictionary<string, byte[]> keys) => _keys = keys;

    public string Prefix => CodePrefix;

    public string Province => "河北";

    public sealed record KeyEntry(string Id, string Secret);

    // The key file of the data folder, with a first key made if there is none.
    public static Hb1HealthCodes OpenOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            SecretFile.Write(path, new List<KeyEntry> { new("hb-demo-1", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))) });
        }
        return new Hb1HealthCodes(SecretFile.Read<List<KeyEntry>>(path).ToDictionary(k => k.Id, k => Convert.FromBase64String(k.Secret)));
    }

    public string FirstKeyId => _keys.Keys.Order(StringComparer.Ordinal).First();

    // Issues a code as the province would: for the demo city's sample codes and for tests.
    public string Issue(string keyId, string docType, string idNumber, string name, HealthColour colour, DateTimeOffset issuedAt, TimeSpan lifetime)
    {
        var colourLetter = colour switch { HealthColour.Red => "R", HealthColour.Yellow => "Y", _ => "G" };
        var text = string.Join('|', "1", keyId, docType, idNumber, name, colourLetter,
            issuedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), issuedAt.Add(lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        var signed = CodePrefix + Base64Url(Encoding.UTF8.GetBytes(text));
        return signed + "." + Base64Url(Tag(_keys[keyId], signed));
    }

    public (HealthCodeError Error, HealthCodeClaims? Claims) Decode(string text, DateTimeOffset now)
    {
        var dot = text.LastIndexOf('.');
        if (!text.StartsWith(CodePrefix, StringComparison.Ordinal) || dot <= CodePrefix.Length || text.Length > 1024)
        {
            return (HealthCodeError.Malformed, null);
        }
        var signed = text[..dot];
        if (FromBase64Url(text.AsSpan(CodePrefix.Length, dot - CodePrefix.Length)) is not { } payload || FromBase64Url(text.AsSpan(dot + 1)) is not { Length: TagBytes } tag)
        {
            return (HealthCodeError.Malformed, null);
        }
        string[] fields;
        try
        {
            fields = new UTF8Encoding(false, true).GetString(payload).Split('|');
        }
        catch (DecoderFallbackException)
        {
            return (HealthCodeError.Malformed, null);
        }
        if (fields.Length != 8 || fields[0] != "1" || DocTypes.Names.ContainsKey(fields[2]) is false
            || !long.TryParse(fields[6], NumberStyles.None, CultureInfo.InvariantCulture, out var issued)
            || !long.TryParse(fields[7], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || fields[5] is not ("G" or "Y" or "R"))
        {
            return (HealthCodeError.Malformed, null);
        }
        if (!_keys.TryGetValue(fields[1], out var key) || !CryptographicOperations.FixedTimeEquals(Tag(key, signed), tag))
        {
            return (HealthCodeError.Signature, null);
        }
        var claims = new HealthCodeClaims(fields[2], fields[3], fields[4], fields[5] switch { "R" => HealthColour.Red, "Y" => HealthColour.Yellow, _ => HealthColour.Green },
            DateTimeOffset.FromUnixTimeSeconds(issued), DateTimeOffset.FromUnixTimeSeconds(expires));
        if (now >= claims.Expires)
        {
            return (HealthCodeError.Expired, null);
        }
        if (now < claims.IssuedAt - ClockSkew)
        {
            return (HealthCodeError.NotYetValid, null);
        }
        return (HealthCodeError.None, claims);
    }

    private static byte[] Tag(byte[] key, string signed)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(signed), mac);
        return mac[..TagBytes].ToArray();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[]? FromBase64Url(ReadOnlySpan<char> text)
    {
        if (text.Length == 0 || text.Length > 1024)
        {
            return null;
        }
        var padded = new StringBuilder(text.Length + 3).Append(text).Replace('-', '+').Replace('_', '/');
        padded.Append('=', (4 - padded.Length % 4) % 4);
        var buffer = new byte[padded.Length];
        return Convert.TryFromBase64String(padded.ToString(), buffer, out var written) ? buffer[..written] : null;
    }
}
