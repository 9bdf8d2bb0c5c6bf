using System.Diagnostics;
using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Divisions;

namespace Fangyi.Bench;

/// <summary>
/// The standard address service on the hot path of a million-row import: addresses of Cangzhou's real villages resolved
/// as written, and the same with one slip in the village name (a homophone 庄→装 where the stem has 庄, else a dropped
/// middle character), which takes the corrector's second pass. Reports both rates, their ratio, and what the slipped
/// ones came back as: the right village, ambiguous (to a person), the township only, or a wrong village (must be none).
/// </summary>
public static class AddressBench
{
    public static void Run(int count, List<ResultRow> rows)
    {
        var tree = new DivisionTree(DivisionImport.Shipped());
        var matcher = new AddressMatcher(tree);
        var villages = tree.Descendants(DemoDivisions.Cangzhou).Where(d => d.Level == DivisionLevel.Village).ToList();
        var exact = new List<(string Text, long Code)>();
        var slipped = new List<(string Text, long Code)>();
        // A slip that makes another village's name of the same county (东关侯 → 东关) is that village written exactly.
        var names = villages.SelectMany(v => AddressMatcher.NameForms(v.Name, v.Level).Stems.Select(s => (v.Code / 1_000_000, s))).ToHashSet();
        foreach (var village in villages)
        {
            var (stems, usual) = AddressMatcher.NameForms(village.Name, village.Level);
            var stem = stems.MaxBy(s => s.Length)!;
            var township = tree.Find(village.Parent!.Value)!;
            var county = tree.Find(township.Parent!.Value)!;
            var head = $"沧州市{county.Name}{township.Name}";
            var ending = usual.StartsWith(stem, StringComparison.Ordinal) ? usual[stem.Length..] : "";
            var house = $"{(village.Code % 29) + 1}排{(village.Code % 19) + 1}号";
            exact.Add((head + stem + ending + house, village.Code));
            if (stem.Length >= 3)
            {
                var slip = stem.Contains('庄', StringComparison.Ordinal) ? stem.Replace('庄', '装') : stem.Remove(stem.Length / 2, 1);
                if (!names.Contains((village.Code / 1_000_000, slip)))
                {
                    slipped.Add((head + slip + ending + house, village.Code));
                }
            }
        }
        var exactRate = Time(matcher, exact, count);
        var slipRate = Time(matcher, slipped, count);
        int right = 0, ambiguous = 0, shallower = 0, wrong = 0;
        foreach (var (text, code) in slipped)
        {
            var match = matcher.Resolve(text);
            if (match.Status == AddressMatchStatus.Ambiguous)
            {
                ambiguous++;
            }
            else if (match.Code == code)
            {
                right++;
            }
            else if (match.Level == DivisionLevel.Village)
            {
                if (++wrong <= 30)
                {
                    Console.WriteLine($"  wrong village: {text} → {match.Path} (meant {tree.PathName(code)}), corrections {match.Corrections.Count}");
                }
            }
            else
            {
                shallower++;
            }
        }
        rows.Add(new ResultRow("-", $"addresses resolved as written ({exact.Count:N0} villages, {count:N0} in all)", $"{exactRate:N0}/s", "-", null));
        rows.Add(new ResultRow("-", "addresses with a slip in the village name, corrected", $"{slipRate:N0}/s", "-", null));
        rows.Add(new ResultRow("-", "corrected over exact", $"{slipRate / exactRate:F2}", "-", null));
        rows.Add(new ResultRow("-", $"slipped addresses ({slipped.Count:N0}): right village / ambiguous / township only / wrong village",
            $"{right} / {ambiguous} / {shallower} / {wrong}", "0 wrong", wrong == 0));
    }

    private static double Time(AddressMatcher matcher, List<(string Text, long Code)> addresses, int count)
    {
        foreach (var (text, _) in addresses.Take(2_000))
        {
            matcher.Resolve(text);
        }
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            matcher.Resolve(addresses[i % addresses.Count].Text);
        }
        return count / clock.Elapsed.TotalSeconds;
    }
}
