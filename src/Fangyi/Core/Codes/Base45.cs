namespace Fangyi.Core.Codes;

/// <summary>
/// Base45 (RFC 9285): binary as text from the 45 characters of a QR code's alphanumeric mode, so a signed
/// token fits a small QR. Two bytes become three characters, a last odd byte two.
/// </summary>
public static class Base45
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    private static readonly sbyte[] Values = BuildValues();

    private static sbyte[] BuildValues()
    {
        var values = new sbyte[128];
        Array.Fill(values, (sbyte)-1);
        for (var i = 0; i < Alphabet.Length; i++)
        {
            values[Alphabet[i]] = (sbyte)i;
        }
        return values;
    }

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var chars = new char[data.Length / 2 * 3 + data.Length % 2 * 2];
        var o = 0;
        for (var i = 0; i + 1 < data.Length; i += 2)
        {
            var n = data[i] * 256 + data[i + 1];
            chars[o++] = Alphabet[n % 45];
            chars[o++] = Alphabet[n / 45 % 45];
            chars[o++] = Alphabet[n / 2025];
        }
        if (data.Length % 2 == 1)
        {
            var n = data[^1];
            chars[o++] = Alphabet[n % 45];
            chars[o] = Alphabet[n / 45];
        }
        return new string(chars);
    }

    /// <summary>Decodes, or returns null for text that is not Base45 (wrong length, foreign characters, overflow).</summary>
    public static byte[]? TryDecode(ReadOnlySpan<char> text)
    {
        if (text.Length % 3 == 1)
        {
            return null;
        }
        var bytes = new byte[text.Length / 3 * 2 + (text.Length % 3 == 2 ? 1 : 0)];
        var o = 0;
        for (var i = 0; i < text.Length; i += 3)
        {
            var remaining = text.Length - i;
            var c0 = Value(text[i]);
            var c1 = Value(text[i + 1]);
            if (c0 < 0 || c1 < 0)
            {
                return null;
            }
            if (remaining >= 3)
            {
                var c2 = Value(text[i + 2]);
                if (c2 < 0)
                {
                    return null;
                }
                var n = c0 + c1 * 45 + c2 * 2025;
                if (n > 0xFFFF)
                {
                    return null;
                }
                bytes[o++] = (byte)(n >> 8);
                bytes[o++] = (byte)n;
            }
            else
            {
                var n = c0 + c1 * 45;
                if (n > 0xFF)
                {
                    return null;
                }
                bytes[o++] = (byte)n;
            }
        }
        return bytes;
    }

    private static int Value(char c) => c < 128 ? Values[c] : -1;
}
