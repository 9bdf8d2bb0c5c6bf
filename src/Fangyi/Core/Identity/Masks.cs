using System.Globalization;

namespace Fangyi.Core.Identity;

/// <summary>
/// What a person is shown as where their full name and number may not be: the console's lists, the answer at a door,
/// a citizen's own pages. One rule each, used by the registry and the status index alike; the index keeps the masks
/// packed into a few bytes a person, and packs and unpacks them here, beside the rule they must agree with.
/// </summary>
public static class Masks
{
    private const string CheckCharacters = "0123456789X";

    /// <summary>
    /// 张*, 张*三, 欧**锋: the first and last character and a star for each between; one character is shown whole.
    /// A character outside the basic plane (𠀀, two UTF-16 units) at either end is kept whole, never cut in half.
    /// </summary>
    public static string Name(string name)
    {
        if (name.Length > 0 && (char.IsSurrogate(name[0]) || char.IsSurrogate(name[^1])))
        {
            return ByTextElements(name);
        }
        return name.Length == 0 ? "" : Name(name[0], name[^1], name.Length);
    }

    /// <summary>The mask of a name from its first and last character and its length, as <see cref="Name(string)"/> gives it.</summary>
    public static string Name(char first, char last, int length) => length switch
    {
        0 => "",
        1 => first.ToString(),
        2 => string.Concat(first.ToString(), "*"),
        _ => string.Create(length, (first, last), (span, x) =>
        {
            span.Fill('*');
            span[0] = x.first;
            span[^1] = x.last;
        }),
    };

    // Whether a name's mask can be kept as its first and last character and a length below 255 (for the status index);
    // otherwise the mask is kept whole.
    internal static bool CanPackName(string name) =>
        name.Length < byte.MaxValue && (name.Length == 0 || (!char.IsSurrogate(name[0]) && !char.IsSurrogate(name[^1])));

    /// <summary>
    /// What everyone but those allowed to see the number is shown: 130***********123X. The county digits are
    /// hidden with the birth date, so the mask alone leaves hundreds of thousands of numbers (docs/security.md).
    /// </summary>
    public static string Number(string number) => number.Length switch
    {
        18 => string.Concat(number.AsSpan(0, 3), "***********", number.AsSpan(14, 4)),
        > 6 => string.Concat(number.AsSpan(0, 2), new string('*', number.Length - 4), number.AsSpan(number.Length - 2, 2)),
        _ => new string('*', number.Length),
    };

    // A resident ID's mask (130***********123X) as its first three digits and its last four, six bytes instead of a
    // string (for the status index). False for any other mask, which is kept whole.
    internal static bool TryPackNumber(string mask, out int region, out ushort tail)
    {
        if (mask.Length == 18 && mask.AsSpan(3, 11).SequenceEqual("***********")
            && int.TryParse(mask.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out region)
            && int.TryParse(mask.AsSpan(14, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            && CheckCharacters.IndexOf(mask[17], StringComparison.Ordinal) is var check and >= 0)
        {
            tail = (ushort)(sequence * 11 + check);
            return true;
        }
        (region, tail) = (-1, 0);
        return false;
    }

    // The mask TryPackNumber packed.
    internal static string Number(int region, ushort tail) => string.Create(18, (region, tail), (span, x) =>
    {
        x.region.TryFormat(span, out _, "D3", CultureInfo.InvariantCulture);
        span.Slice(3, 11).Fill('*');
        (x.tail / 11).TryFormat(span[14..], out _, "D3", CultureInfo.InvariantCulture);
        span[17] = CheckCharacters[x.tail % 11];
    });

    private static string ByTextElements(string name)
    {
        var e = StringInfo.GetTextElementEnumerator(name);
        var elements = new List<string>();
        while (e.MoveNext())
        {
            elements.Add((string)e.Current);
        }
        return elements.Count switch
        {
            0 or 1 => name,
            2 => elements[0] + "*",
            _ => elements[0] + new string('*', elements.Count - 2) + elements[^1],
        };
    }
}
