using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Fangyi.Tests.Security;

/// <summary>What was seen about one person, from any answer, page, export or stored row.</summary>
public sealed class Seen
{
    public HashSet<string> Masks { get; } = [];
    public HashSet<DateOnly> BirthDates { get; } = [];
    public HashSet<int> BirthYears { get; } = [];
    public HashSet<string> AgeBands { get; } = [];
    public HashSet<string> Genders { get; } = [];
    public HashSet<long> Divisions { get; } = [];

    private static readonly Regex MaskLike = new("^[0-9X*]{18}$", RegexOptions.CultureInvariant);

    /// <summary>Takes every field of a JSON object (or row) that says something about the number.</summary>
    public void Take(string name, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }
        var key = name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
        if (MaskLike.IsMatch(value))
        {
            Masks.Add(value);
        }
        if (key.Contains("birth", StringComparison.Ordinal) && DateOnly.TryParse(value, CultureInfo.InvariantCulture, out var date))
        {
            BirthDates.Add(date);
        }
        else if (key.Contains("birth", StringComparison.Ordinal) && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var year))
        {
            BirthYears.Add(year);
        }
        if (key.Contains("age", StringComparison.Ordinal))
        {
            AgeBands.Add(value);
        }
        if (key is "gender" or "sex" or "性别")
        {
            Genders.Add(value);
        }
        if (key is "division" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var division))
        {
            Divisions.Add(division);
        }
    }

    public void Take(JsonElement item)
    {
        foreach (var property in item.EnumerateObject())
        {
            Take(property.Name, property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number => property.Value.GetRawText(),
                _ => null,
            });
        }
    }
}

/// <summary>
/// Counts the GB 11643 numbers consistent with what was seen: a region code the division file knows, a real
/// birth date from 1890 to today (narrowed by any birth date, year or age band seen), any sequence, and the
/// check character; every position a mask shows must agree. The check character is a weighted sum mod 11, so
/// the count is a convolution of three histograms (regions, dates, sequences) rather than a walk of every number.
/// </summary>
public sealed class IdSolver(IReadOnlyList<int> regions, DateOnly today)
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string Check = "10X98765432";

    public long Count(Seen seen, int? onlyRegion = null)
    {
        var known = new char?[18];
        foreach (var mask in seen.Masks)
        {
            for (var i = 0; i < 18; i++)
            {
                if (mask[i] != '*')
                {
                    if (known[i] is { } k && k != mask[i])
                    {
                        return 0;
                    }
                    known[i] = mask[i];
                }
            }
        }
        var regionSums = new long[11];
        foreach (var region in regions.Where(r => onlyRegion is null || r == onlyRegion))
        {
            var digits = region.ToString("D6", CultureInfo.InvariantCulture);
            if (Agrees(digits, known, 0))
            {
                regionSums[Sum(digits, 0)]++;
            }
        }
        var dateSums = new long[11];
        for (var day = new DateOnly(1890, 1, 1); day <= today; day = day.AddDays(1))
        {
            if (seen.BirthDates.Count > 0 && !seen.BirthDates.Contains(day) || seen.BirthYears.Count > 0 && !seen.BirthYears.Contains(day.Year)
                || seen.AgeBands.Count > 0 && !seen.AgeBands.All(band => InBand(band, day)))
            {
                continue;
            }
            var digits = day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            if (Agrees(digits, known, 6))
            {
                dateSums[Sum(digits, 6)]++;
            }
        }
        var sequenceSums = new long[11];
        for (var sequence = 0; sequence < 1000; sequence++)
        {
            var digits = sequence.ToString("D3", CultureInfo.InvariantCulture);
            var male = sequence % 2 == 1;
            if (Agrees(digits, known, 14) && seen.Genders.All(g => g is "M" or "男" ? male : g is "F" or "女" ? !male : true))
            {
                sequenceSums[Sum(digits, 14)]++;
            }
        }
        long count = 0;
        for (var a = 0; a < 11; a++)
        {
            for (var b = 0; b < 11; b++)
            {
                for (var c = 0; c < 11; c++)
                {
                    var check = Check[(a + b + c) % 11];
                    if (known[17] is null || known[17] == check)
                    {
                        count += regionSums[a] * dateSums[b] * sequenceSums[c];
                    }
                }
            }
        }
        return count;
    }

    private static bool Agrees(string digits, char?[] known, int at)
    {
        for (var i = 0; i < digits.Length; i++)
        {
            if (known[at + i] is { } k && k != digits[i])
            {
                return false;
            }
        }
        return true;
    }

    private static int Sum(string digits, int at)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            sum += (digits[i] - '0') * Weights[at + i];
        }
        return sum % 11;
    }

    // "30-39": an age band in whole years as of today.
    private bool InBand(string band, DateOnly birth)
    {
        var parts = band.Split('-', '~', '–');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var low) || !int.TryParse(parts[1].TrimEnd('岁'), out var high))
        {
            return true;
        }
        var age = today.Year - birth.Year - (today.DayOfYear < birth.DayOfYear ? 1 : 0);
        return age >= low && age <= high;
    }
}
