using System.Globalization;

namespace Fangyi.Core.Identity;

/// <summary>
/// GB 11643-1999 resident ID numbers: 6-digit region, 8-digit birth date, 3-digit sequence (odd for men),
/// and a check character by ISO 7064 MOD 11-2.
/// </summary>
public static class IdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    public static string Message(IdError error) => error switch
    {
        IdError.Empty => "证件号码不能为空",
        IdError.Length => "身份证号码应为18位",
        IdError.Characters => "身份证号码只能包含数字，末位可为X",
        IdError.Region => "身份证号码的地区码不存在",
        IdError.BirthDate => "身份证号码中的出生日期无效",
        IdError.CheckCharacter => "身份证号码校验位错误，请核对",
        IdError.DocumentFormat => "证件号码格式不正确",
        _ => "",
    };

    public static string Code(IdError error) => error switch
    {
        IdError.Empty => "id_empty",
        IdError.Length => "id_length",
        IdError.Characters => "id_characters",
        IdError.Region => "id_region",
        IdError.BirthDate => "id_birth_date",
        IdError.CheckCharacter => "id_check_character",
        IdError.DocumentFormat => "id_document_format",
        _ => "",
    };

    /// <summary>Trims, drops inner spaces and upper-cases a trailing x; returns the form that is stored.</summary>
    public static string Normalize(string text) => text.Trim().Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }
        return CheckCharacters[sum % 11];
    }

    /// <param name="regionExists">Whether a 6-digit region code is a known county-level division.</param>
    /// <param name="today">The date a birth date may not lie after.</param>
    public static IdError Validate(string normalized, Func<int, bool> regionExists, DateOnly today)
    {
        if (normalized.Length == 0)
        {
            return IdError.Empty;
        }
        if (normalized.Length != 18)
        {
            return IdError.Length;
        }
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(normalized[i]))
            {
                return IdError.Characters;
            }
        }
        if (!char.IsAsciiDigit(normalized[17]) && normalized[17] != 'X')
        {
            return IdError.Characters;
        }
        if (!regionExists(int.Parse(normalized.AsSpan(0, 6), CultureInfo.InvariantCulture)))
        {
            return IdError.Region;
        }
        if (BirthDate(normalized) is not { } birth || birth > today || birth.Year < 1890)
        {
            return IdError.BirthDate;
        }
        return CheckCharacter(normalized) == normalized[17] ? IdError.None : IdError.CheckCharacter;
    }

    public static DateOnly? BirthDate(string number) =>
        number.Length == 18 && DateOnly.TryParseExact(number.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;

    /// <summary>The 17th digit is odd for men and even for women.</summary>
    public static string Gender(string number) => (number[16] - '0') % 2 == 1 ? "M" : "F";

    /// <summary>Other documents: letters and digits (and a bracket pair, as on HK identity numbers), 5 to 20 long.</summary>
    public static IdError ValidateOther(string normalized)
    {
        if (normalized.Length == 0)
        {
            return IdError.Empty;
        }
        if (normalized.Length is < 5 or > 20)
        {
            return IdError.DocumentFormat;
        }
        foreach (var c in normalized)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '(' and not ')' and not '-')
            {
                return IdError.DocumentFormat;
            }
        }
        return IdError.None;
    }

    /// <summary>What everyone but those allowed to see the number is shown: 130***********123X (the rule is <see cref="Masks.Number(string)"/>).</summary>
    public static string Mask(string number) => Masks.Number(number);

    /// <summary>Builds a valid number from its parts; used by the demo city and by tests.</summary>
    public static string Make(int region, DateOnly birth, int sequence)
    {
        var first17 = string.Create(CultureInfo.InvariantCulture, $"{region:D6}{birth:yyyyMMdd}{sequence:D3}");
        return first17 + CheckCharacter(first17);
    }
}
