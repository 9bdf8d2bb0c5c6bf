using System.Collections.Concurrent;
using Fangyi.Core.Jurisdiction;

namespace Fangyi.Features.Divisions;

// The matcher's second pass, for an address whose exact pass stopped at a county or a township: the name written next is
// compared with that division's own townships and villages only (never city-wide: Cangzhou alone has dozens of 王庄s), and
// one that is a homophone or a one-character slip of exactly one of them is taken for it, saying so. Two or more equally
// near make the answer ambiguous: a wrong village must never come back as matched.
internal sealed class AddressCorrector(DivisionTree tree, PinyinReadings readings)
{
    // What a correction does to the confidence. A homophone keeps the name's sound, the way names are mistaken when they
    // are taken down by ear or typed in pinyin, so it is the likelier slip; any other one-character slip is a guess about
    // which character was meant. Both leave a corrected village (≈0.6 or ≈0.5 with its county and township named) below
    // an exact township (0.85): the township is certain, the village is not.
    public const double HomophoneFactor = 0.6;
    public const double SlipFactor = 0.5;

    // A village stem must be at least three characters, so that after one slip at least two are still right: among the
    // 364 villages of 青县 the two-character stems (马庄, 罗庄, 官庄, 皇庄, 泗庄, 珠庄 ...) are one slip from each other and from
    // names that are not villages at all (王庄 → 李庄), while three-character ones rarely are, and when they are (东王营,
    // 西王营, 前王营) the tie makes the answer ambiguous. A township has ten or twenty siblings rather than hundreds, so its
    // two-character stem is enough when its level word (镇, 乡) is written after it: 青州镇 for 清州镇.
    private const int MinVillageStem = 3;
    private const int MinTownshipStem = 2;

    private static readonly string[] VillageEndings = ["社区居民委员会", "村民委员会", "居民委员会", "社区居委会", "村委会", "居委会", "社区", "村"];
    private static readonly string[] TownshipEndings = ["街道办事处", "街道", "镇", "乡"];

    private readonly ConcurrentDictionary<(long Code, DivisionLevel Level), Named[]> _named = new();

    public static double Factor(AddressCorrectionKind kind) => kind == AddressCorrectionKind.Homophone ? HomophoneFactor : SlipFactor;

    // text is the folded address after the exact match (origins: each character's offset in the address). Null when
    // nothing near was found, so the exact answer stands.
    // except: a village not to read (the one the exact pass read, when Decide looks for a rival to it).
    public Outcome? Correct(ReadOnlySpan<char> text, ReadOnlySpan<int> origins, long code, DivisionLevel level, long except = 0)
    {
        Hit? township = null;
        var position = 0;
        if (level == DivisionLevel.County)
        {
            var townships = Nearest(NamedUnder(code, DivisionLevel.Township), text, origins, 0, DivisionLevel.Township, 0);
            if (townships.Count > 1)
            {
                return new Outcome(null, townships);
            }
            if (townships.Count == 0)
            {
                // No township written (or none near): the village may still be, straight after the county.
                var villages = Nearest(NamedUnder(code, DivisionLevel.Village), text, origins, 0, DivisionLevel.Village, except);
                return villages.Count == 0 ? null : new Outcome(null, villages);
            }
            township = townships[0];
            position = township.Value.FoldedEnd;
            code = township.Value.Code;
        }
        var found = Nearest(NamedUnder(code, DivisionLevel.Village), text, origins, position, DivisionLevel.Village, except);
        if (found.Count == 0)
        {
            return township is { Correction: not null } ? new Outcome(null, [township.Value]) : null;
        }
        return new Outcome(township, found);
    }

    // The children (or, for a county's villages, grandchildren) of code that the text at position names most nearly;
    // several when equally near.
    private List<Hit> Nearest(Named[] named, ReadOnlySpan<char> text, ReadOnlySpan<int> origins, int position, DivisionLevel level, long except)
    {
        var best = new List<Hit>();
        var bestRank = int.MaxValue;
        var rest = text[position..];
        foreach (var division in named)
        {
            if (division.Code == except)
            {
                continue;
            }
            var rank = int.MaxValue;
            var length = 0;
            var sound = false;
            foreach (var stem in division.Stems)
            {
                // The name itself written and followed by 路 or 街 is a road named after it, not a slip of anything.
                if (rest.StartsWith(stem, StringComparison.Ordinal) && EndingLength(rest[stem.Length..], level) < 0)
                {
                    rank = int.MaxValue;
                    length = 0;
                    break;
                }
                for (var w = Math.Max(1, stem.Length - 1); w <= stem.Length + 1 && w <= rest.Length; w++)
                {
                    var r = Relation(rest[..w], stem, level);
                    if (r < 0)
                    {
                        continue;
                    }
                    var ending = EndingLength(rest[w..], level);
                    if (ending < 0 || (ending == 0 && r > 0 && level == DivisionLevel.Township && stem.Length < MinVillageStem))
                    {
                        continue;
                    }
                    // Of one name's readings, the exact one; else the one that explains the most text (孝廉营村 is 孝廉庄村
                    // with 营 for 庄, not 孝廉 with 庄 dropped and 营 left over), then the nearest.
                    var covers = w + ending;
                    if (rank != 0 && (r == 0 || covers > length || (covers == length && r < rank)))
                    {
                        rank = r;
                        length = covers;
                        sound = r == 1 && w == stem.Length;
                    }
                }
            }
            if (rank == int.MaxValue || rank > bestRank)
            {
                continue;
            }
            if (rank < bestRank)
            {
                best.Clear();
                bestRank = rank;
            }
            var correction = rank == 0
                ? null
                : new AddressCorrection(rest[..length].ToString(), division.Usual, division.Code,
                    sound ? AddressCorrectionKind.Homophone : AddressCorrectionKind.Slip);
            best.Add(new Hit(division.Code, correction, position + length, origins[position + length - 1] + 1));
        }
        return best;
    }

    // 0 when written is the stem, 1 when one character of it is a homophone or one is dropped or added, 2 for another
    // character in its place, -1 when
    // it is further off or too short to correct. A written name that ends in a word of its own where the stem does not
    // is that word, never a slip: 司马庄路 is a road, 马庄村 is 马庄 and 村, not 马庄子.
    private int Relation(ReadOnlySpan<char> written, string stem, DivisionLevel level)
    {
        if (written.SequenceEqual(stem))
        {
            return 0;
        }
        if (stem.Length < (level == DivisionLevel.Village ? MinVillageStem : MinTownshipStem)
            || (stem.Length < MinVillageStem && written.Length != stem.Length)
            || (written[^1] != stem[^1] && AddressMatcher.StartsWithForeignEnding(written[^1..])))
        {
            return -1;
        }
        if (written.Length == stem.Length)
        {
            var at = -1;
            for (var k = 0; k < stem.Length; k++)
            {
                if (written[k] != stem[k])
                {
                    if (at >= 0)
                    {
                        return -1;
                    }
                    at = k;
                }
            }
            return readings.SoundAlike(written[at], stem[at]) ? 1 : 2;
        }
        var longer = written.Length > stem.Length ? written : stem;
        var shorter = written.Length > stem.Length ? stem : written;
        var prefix = 0;
        while (prefix < shorter.Length && longer[prefix] == shorter[prefix])
        {
            prefix++;
        }
        // A dropped or added character ranks with a homophone, not below it: 刘园村 is 刘院村 by sound and 刘园子村 with
        // 子 dropped, and which was meant the text cannot say, so the answer is ambiguous rather than the homophone.
        return longer[(prefix + 1)..].SequenceEqual(shorter[prefix..]) ? 1 : -1;
    }

    // The level word written after a stem, 0 for none, -1 when the stem is followed by a word that makes it a road or
    // another kind of division (司马庄路).
    private static int EndingLength(ReadOnlySpan<char> after, DivisionLevel level)
    {
        foreach (var ending in level == DivisionLevel.Village ? VillageEndings : TownshipEndings)
        {
            if (after.StartsWith(ending, StringComparison.Ordinal))
            {
                return ending.Length + AddressMatcher.CommitteeTailLength(after[ending.Length..]);
            }
        }
        return AddressMatcher.StartsWithForeignEnding(after) ? -1 : 0;
    }

    private Named[] NamedUnder(long code, DivisionLevel level) => _named.GetOrAdd((code, level), key =>
    {
        var divisions = tree.Children(key.Code).Where(d => d.Level == key.Level).ToList();
        if (key.Level == DivisionLevel.Village && tree.Find(key.Code)?.Level == DivisionLevel.County)
        {
            divisions = tree.Children(key.Code).SelectMany(t => tree.Children(t.Code)).Where(d => d.Level == DivisionLevel.Village).ToList();
        }
        return divisions.Where(d => !DivisionTree.IsPlaceholder(d.Name))
            .Select(d => AddressMatcher.NameForms(d.Name, d.Level) is var (stems, usual) ? new Named(d.Code, stems, usual) : default)
            .ToArray();
    });

    // What the corrector made of the text: Township when it read a township before the villages, Hits the deepest
    // divisions reached (one when matched, several when equally near, the township alone when no village followed).
    internal sealed record Outcome(Hit? Township, List<Hit> Hits);

    // A division read from the text: the folded text up to FoldedEnd, the address up to End.
    internal readonly record struct Hit(long Code, AddressCorrection? Correction, int FoldedEnd, int End);

    private readonly record struct Named(long Code, string[] Stems, string Usual);
}
