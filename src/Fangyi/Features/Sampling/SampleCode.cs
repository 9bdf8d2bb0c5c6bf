using System.Globalization;

namespace Fangyi.Features.Sampling;

// Tube and box codes: a letter (T for tubes, B for boxes), a 9-digit serial and a check digit by ISO 7064
// MOD 11,10, which catches every mistyped digit and most swapped neighbours. T000001234 + check = T0000012348.
// A code is valid at a scan only if it is well-formed and was issued in a batch.
public readonly record struct SampleCode(CodeType Type, long Serial)
{
    public const long MaxSerial = 999_999_999;

    public static char Letter(CodeType type) => type == CodeType.Tube ? 'T' : 'B';

    public override string ToString()
    {
        var digits = Serial.ToString("D9", CultureInfo.InvariantCulture);
        return $"{Letter(Type)}{digits}{CheckDigit(digits)}";
    }

    public static char CheckDigit(ReadOnlySpan<char> digits)
    {
        var p = 10;
        foreach (var c in digits)
        {
            var s = (p + (c - '0')) % 10;
            p = (s == 0 ? 10 : s) * 2 % 11;
        }
        return (char)('0' + (11 - p) % 10);
    }

    // Parses a scanned or typed code (case and surrounding spaces ignored); null if malformed or its check digit is wrong.
    public static SampleCode? Parse(string? text, CodeType type)
    {
        var code = text?.Trim().ToUpperInvariant() ?? "";
        if (code.Length != 11 || code[0] != Letter(type))
        {
            return null;
        }
        var digits = code.AsSpan(1, 9);
        foreach (var c in code.AsSpan(1))
        {
            if (!char.IsAsciiDigit(c))
            {
                return null;
            }
        }
        return CheckDigit(digits) == code[10] ? new SampleCode(type, long.Parse(digits, CultureInfo.InvariantCulture)) : null;
    }
}
