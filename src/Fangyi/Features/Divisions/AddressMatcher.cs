using Fangyi.Core.Jurisdiction;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Fangyi.Features.Divisions;

// Resolves free text such as 沧州市青县清州镇司马庄村3排5号 to a division. Every division is indexed under its full name and
// shortened forms (司马庄村, 司马庄); the text is scanned left to right for the longest name at each position, and each name
// either extends a chain of already matched ancestors (levels may be skipped) or starts a new chain. The chain with the most
// support wins; equally supported chains make the result ambiguous.
public sealed class AddressMatcher
{
    private const int MinVariantLength = 2;
    private const int MaxVariantLength = byte.MaxValue;
    private const int MaxCandidates = 10;
    private const double TieTolerance = 1e-9;

    // A name that matches nothing already found is usually noise after the real address (a shop or road named after some
    // village elsewhere), so a chain started there counts for less than one started at the head of the text.
    private const double RestartWeight = 0.5;

    private static readonly long[] LevelWidth = [0, 10_000_000_000, 100_000_000, 1_000_000, 1_000, 1];
    private static readonly double[] LevelPrecision = [0, 0.4, 0.55, 0.7, 0.85, 1.0];
    private static readonly double[] KindWeight = [1.0, 0.95, 0.85];

    // A shortened name followed by a road word or another division's ending names something else: 司马庄路 is a road, not
    // 司马庄村, and 城关镇 is not 城关区.
    private static readonly string[] ForeignEndings = ["路", "街", "大道", "道", "巷", "弄", "胡同", "省", "市", "区", "县", "镇", "乡", "村", "旗", "州", "社区"];

    private static readonly string[] Ethnicities = new[]
    {
        "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族", "瑶族", "白族",
        "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族",
        "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族",
        "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
        "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族", "各族",
    }.OrderByDescending(e => e.Length).ToArray();

    // Per level, the first rule whose suffix ends the name applies; an empty ending yields the bare stem. Rules without endings
    // stop shorter suffixes from applying: 经济开发区 must not become 经济开发 by the 区 rule.
    private static readonly SuffixRule[] Rules =
    [
        new(DivisionLevel.Province, "特别行政区", false, [""]),
        new(DivisionLevel.Province, "自治区", true, [""]),
        new(DivisionLevel.Province, "省", false, [""]),
        new(DivisionLevel.Province, "市", false, [""]),
        new(DivisionLevel.City, "自治州", true, ["州", ""]),
        new(DivisionLevel.City, "地区", false, [""]),
        new(DivisionLevel.City, "盟", false, [""]),
        new(DivisionLevel.City, "市", false, [""]),
        new(DivisionLevel.County, "自治县", true, ["县", ""]),
        new(DivisionLevel.County, "自治旗", true, ["旗", ""]),
        new(DivisionLevel.County, "林区", false, [""]),
        new(DivisionLevel.County, "新区", false, [""]),
        new(DivisionLevel.County, "特区", false, [""]),
        new(DivisionLevel.County, "开发区", false, []),
        new(DivisionLevel.County, "管理区", false, []),
        new(DivisionLevel.County, "示范区", false, []),
        new(DivisionLevel.County, "园区", false, []),
        new(DivisionLevel.County, "工业区", false, []),
        new(DivisionLevel.County, "县", false, [""]),
        new(DivisionLevel.County, "区", false, [""]),
        new(DivisionLevel.County, "市", false, [""]),
        new(DivisionLevel.County, "旗", false, [""]),
        new(DivisionLevel.Township, "街道办事处", false, ["街道", ""]),
        new(DivisionLevel.Township, "街道", false, [""]),
        new(DivisionLevel.Township, "镇", true, ["镇", ""]),
        new(DivisionLevel.Township, "乡", true, ["乡", ""]),
        new(DivisionLevel.Township, "苏木", true, ["苏木", ""]),
        new(DivisionLevel.Village, "社区居民委员会", false, ["社区", ""]),
        new(DivisionLevel.Village, "社区居委会", false, ["社区", ""]),
        new(DivisionLevel.Village, "村民委员会", false, ["村", ""]),
        new(DivisionLevel.Village, "村委会", false, ["村", ""]),
        new(DivisionLevel.Village, "居民委员会", false, ["社区", ""]),
        new(DivisionLevel.Village, "居委会", false, ["社区", ""]),
        new(DivisionLevel.Village, "委员会", false, [""]),
        new(DivisionLevel.Village, "社区", false, [""]),
        new(DivisionLevel.Village, "村", false, [""]),
    ];

    // Indexing every spelling of the committee (村委会, 村民委员会, 居委会, ...) for every village would add a million entries
    // to the national index, so the scan swallows whichever of them follows a matched name instead.
    private static readonly string[] CommitteeTails = ["村民委员会", "居民委员会", "民委员会", "村委会", "居委会", "委员会", "委会"];

    private readonly DivisionTree _tree;
    private readonly long[] _codes;
    private readonly byte[] _levels;
    private readonly bool[] _placeholders;
    private readonly VariantTable _variants;
    private readonly Dictionary<int, byte> _longestByPrefix;
    private readonly int[] _postingStart;
    private readonly int[] _postingDivision;
    private readonly VariantKind[] _postingKind;
    private readonly AddressCorrector _corrector;

    public AddressMatcher(DivisionTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        _tree = tree;
        var divisions = tree.All.ToArray();
        _codes = Array.ConvertAll(divisions, d => d.Code);
        Array.Sort(_codes, divisions);
        _levels = new byte[divisions.Length];
        _placeholders = new bool[divisions.Length];

        _variants = new VariantTable(divisions.Length * 5 / 2);
        var postingVariant = new List<int>(divisions.Length * 4);
        var postingDivision = new List<int>(divisions.Length * 4);
        var postingKind = new List<VariantKind>(divisions.Length * 4);
        _longestByPrefix = [];
        var variants = new List<(string Text, VariantKind Kind)>(8);
        for (var i = 0; i < divisions.Length; i++)
        {
            var division = divisions[i];
            _levels[i] = (byte)division.Level;
            _placeholders[i] = IsPlaceholder(division.Name);
            if (_placeholders[i])
            {
                continue;
            }
            variants.Clear();
            CollectVariants(division.Name, division.Level, variants);
            foreach (var (text, kind) in variants)
            {
                var id = _variants.GetOrAdd(text);
                postingVariant.Add(id);
                postingDivision.Add(i);
                postingKind.Add(kind);
                var key = PrefixKey(text[0], text[1]);
                var length = (byte)text.Length;
                if (!_longestByPrefix.TryGetValue(key, out var known) || known < length)
                {
                    _longestByPrefix[key] = length;
                }
            }
        }

        // Counting sort by variant keeps each variant's postings in code order, which Extend's range search relies on.
        _postingStart = new int[_variants.Count + 1];
        foreach (var id in CollectionsMarshal.AsSpan(postingVariant))
        {
            _postingStart[id + 1]++;
        }
        for (var v = 0; v < _variants.Count; v++)
        {
            _postingStart[v + 1] += _postingStart[v];
        }
        var next = _postingStart[..^1];
        _postingDivision = new int[postingVariant.Count];
        _postingKind = new VariantKind[postingVariant.Count];
        for (var p = 0; p < postingVariant.Count; p++)
        {
            var slot = next[postingVariant[p]]++;
            _postingDivision[slot] = postingDivision[p];
            _postingKind[slot] = postingKind[p];
        }
        _variants.TrimExcess();
        _longestByPrefix.TrimExcess();
        _corrector = new AddressCorrector(tree, PinyinReadings.Shipped);
    }

    public AddressMatch Resolve(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<char> text = address.Length <= 256 ? stackalloc char[256] : new char[address.Length];
        Span<int> origins = address.Length <= 256 ? stackalloc int[256] : new int[address.Length];
        var n = 0;
        for (var k = 0; k < address.Length; k++)
        {
            if (TryFold(address[k], out var folded))
            {
                text[n] = folded;
                origins[n++] = k;
            }
        }
        text = text[..n];

        var chains = new Dictionary<long, Chain>();
        var grown = new List<Chain>();
        var i = 0;
        while (i + MinVariantLength <= n)
        {
            if (!_longestByPrefix.TryGetValue(PrefixKey(text[i], text[i + 1]), out var longest))
            {
                i++;
                continue;
            }
            var consumed = 0;
            (int Variant, int Length, bool BareAllowed) fresh = (-1, 0, false);
            for (var length = Math.Min(longest, n - i); length >= MinVariantLength; length--)
            {
                var variant = _variants.Find(text.Slice(i, length));
                if (variant < 0)
                {
                    continue;
                }
                var bareAllowed = !StartsWithForeignEnding(text[(i + length)..]);
                var span = length + CommitteeTailLength(text[(i + length)..]);
                if (chains.Count > 0 && Extend(chains, grown, variant, bareAllowed, origins[i + span - 1] + 1, i > 0 ? origins[i - 1] : -1))
                {
                    consumed = span;
                    break;
                }
                if (fresh.Variant < 0 && HasUsablePosting(variant, bareAllowed))
                {
                    fresh = (variant, span, bareAllowed);
                }
            }
            if (consumed == 0 && fresh.Variant >= 0)
            {
                StartChains(chains, fresh.Variant, fresh.BareAllowed, origins[i + fresh.Length - 1] + 1);
                consumed = fresh.Length;
            }
            i += Math.Max(consumed, 1);
        }
        return Decide(address, chains, text, origins[..n]);
    }

    private AddressMatch Decide(string address, Dictionary<long, Chain> chains, ReadOnlySpan<char> text, ReadOnlySpan<int> origins)
    {
        if (chains.Count == 0)
        {
            return new AddressMatch(AddressMatchStatus.Unmatched, null, null, null, 0, address.Trim(), []);
        }
        var best = double.MinValue;
        foreach (var chain in chains.Values)
        {
            best = Math.Max(best, chain.Score);
        }
        var tied = new List<(Chain Chain, double Confidence)>();
        foreach (var chain in chains.Values)
        {
            if (chain.Score >= best - TieTolerance)
            {
                tied.Add((chain, ConfidenceOf(chain)));
            }
        }
        tied.Sort((a, b) => a.Confidence != b.Confidence ? b.Confidence.CompareTo(a.Confidence) : a.Chain.Code.CompareTo(b.Chain.Code));
        var candidates = new List<AddressCandidate>(Math.Min(tied.Count, MaxCandidates));
        foreach (var (chain, confidence) in tied.Take(MaxCandidates))
        {
            candidates.Add(new AddressCandidate(chain.Code, _tree.PathName(chain.Code), (DivisionLevel)_levels[chain.Division], confidence));
        }
        var remainder = Remainder(address, tied[0].Chain.End);
        if (tied.Count == 1)
        {
            var only = candidates[0];
            // Only an address that stopped short of a village gets the second pass, so exact matches cost what they did.
            if (only.Level is DivisionLevel.County or DivisionLevel.Township && Corrected(address, tied[0].Chain, text, origins) is { } corrected)
            {
                return corrected;
            }
            if (only.Level == DivisionLevel.Village && tied[0].Chain.From != 0 && Doubtful(tied[0].Chain, text, origins)
                && Rivalled(address, tied[0], text, origins) is { } rivalled)
            {
                return rivalled;
            }
            return new AddressMatch(AddressMatchStatus.Matched, only.Code, only.Path, only.Level, only.Confidence, remainder, candidates);
        }
        return Ambiguous(CommonAncestor(tied.Select(t => t.Chain)), tied[0].Confidence / tied.Count, remainder, candidates);
    }

    // shared: the deepest division every candidate lies in, if any.
    private AddressMatch Ambiguous(int? shared, double confidence, string remainder, List<AddressCandidate> candidates) => new(
        AddressMatchStatus.Ambiguous,
        shared is { } s ? _codes[s] : null,
        shared is { } p ? _tree.PathName(_codes[p]) : null,
        shared is { } l ? (DivisionLevel)_levels[l] : null,
        confidence,
        remainder,
        candidates);

    // A village read after unmatched text (马庄村 out of 青县思马庄村), or read bare with more of a name after it (潞灌 out of
    // 潞灌北装村), may be part of a misspelt name of another village (司马庄村, 潞灌北庄): the only exact readings that are.
    private static bool Doubtful(Chain village, ReadOnlySpan<char> text, ReadOnlySpan<int> origins)
    {
        if (village.Gap)
        {
            return true;
        }
        var next = FoldedAt(origins, village.End);
        return village.Kind == VariantKind.Bare && next < text.Length && char.IsLetter(text[next]) && text[next] > '\u2E80';
    }

    // When the corrector reads the text after the village's parent as another village, neither is certain: ambiguous.
    private AddressMatch? Rivalled(string address, (Chain Chain, double Confidence) exact, ReadOnlySpan<char> text, ReadOnlySpan<int> origins)
    {
        var from = FoldedAt(origins, exact.Chain.FromEnd);
        var parent = Array.BinarySearch(_codes, exact.Chain.From);
        if (from == origins.Length || parent < 0 || (DivisionLevel)_levels[parent] is not (DivisionLevel.County or DivisionLevel.Township)
            || _corrector.Correct(text[from..], origins[from..], exact.Chain.From, (DivisionLevel)_levels[parent], exact.Chain.Code) is not { } read)
        {
            return null;
        }
        // A rival explains more of the text than the exact reading did: the gap before it, or the rest of the name after it.
        var end = exact.Chain.End;
        var outcome = read with
        {
            Hits = read.Hits.FindAll(h => Level(h.Code) == DivisionLevel.Village && (h.End > end || (exact.Chain.Gap && h.End >= end))),
        };
        if (outcome.Hits.Count == 0)
        {
            return null;
        }
        var rivals = Build(address, new Chain(exact.Chain.From, parent, 0, exact.Chain.Levels & ~(1 << (int)DivisionLevel.Village),
            VariantKind.Short, exact.Chain.FromEnd), outcome);
        var candidates = rivals.Candidates.Where(c => c.Code != exact.Chain.Code)
            .Append(new AddressCandidate(exact.Chain.Code, _tree.PathName(exact.Chain.Code), DivisionLevel.Village, exact.Confidence))
            .OrderByDescending(c => c.Confidence).ThenBy(c => c.Code).Take(MaxCandidates).ToList();
        var shared = CommonAncestor(candidates.Select(c => new Chain(c.Code, Array.BinarySearch(_codes, c.Code), 0, 0, VariantKind.Short, 0)));
        return Ambiguous(shared, candidates[0].Confidence / candidates.Count, Remainder(address, exact.Chain.End), candidates) with
        {
            Corrections = rivals.Corrections,
        };
    }

    private DivisionLevel Level(long code) => (DivisionLevel)_levels[Array.BinarySearch(_codes, code)];

    private static int FoldedAt(ReadOnlySpan<int> origins, int offset)
    {
        var from = 0;
        while (from < origins.Length && origins[from] < offset)
        {
            from++;
        }
        return from;
    }

    // The exact chain's county or township, then what AddressCorrector read after it; null when it read nothing.
    private AddressMatch? Corrected(string address, Chain exact, ReadOnlySpan<char> text, ReadOnlySpan<int> origins)
    {
        var from = FoldedAt(origins, exact.End);
        if (from == origins.Length
            || _corrector.Correct(text[from..], origins[from..], exact.Code, (DivisionLevel)_levels[exact.Division]) is not { } outcome)
        {
            return null;
        }
        return Build(address, exact, outcome);
    }

    private AddressMatch Build(string address, Chain exact, AddressCorrector.Outcome outcome)
    {
        var levels = exact.Levels;
        var factor = 1.0;
        var applied = new List<AddressCorrection>(2);
        if (outcome.Township is { } township)
        {
            levels |= 1 << (int)DivisionLevel.Township;
            if (township.Correction is { } c)
            {
                applied.Add(c);
                factor *= AddressCorrector.Factor(c.Kind);
            }
        }
        var hits = new List<(Chain Chain, double Confidence, AddressCorrection? Correction)>(outcome.Hits.Count);
        foreach (var hit in outcome.Hits)
        {
            var division = Array.BinarySearch(_codes, hit.Code);
            var chain = new Chain(hit.Code, division, 0, levels | (1 << _levels[division]), VariantKind.Short, hit.End);
            var own = hit.Correction is { } c ? AddressCorrector.Factor(c.Kind) : 1.0;
            hits.Add((chain, ConfidenceOf(chain) * factor * own, hit.Correction));
        }
        hits.Sort((a, b) => a.Confidence != b.Confidence ? b.Confidence.CompareTo(a.Confidence) : a.Chain.Code.CompareTo(b.Chain.Code));
        var candidates = hits.Take(MaxCandidates)
            .Select(h => new AddressCandidate(h.Chain.Code, _tree.PathName(h.Chain.Code), (DivisionLevel)_levels[h.Chain.Division], h.Confidence))
            .ToList();
        var remainder = Remainder(address, hits[0].Chain.End);
        if (hits.Count == 1)
        {
            if (hits[0].Correction is { } c)
            {
                applied.Add(c);
            }
            var only = candidates[0];
            return new AddressMatch(AddressMatchStatus.Matched, only.Code, only.Path, only.Level, only.Confidence, remainder, candidates)
            {
                Corrections = applied,
            };
        }
        // Equally near names: the candidates say which, the caller (or a person) decides; the shared corrections still hold.
        return Ambiguous(CommonAncestor(hits.Select(h => h.Chain)), hits[0].Confidence / hits.Count, remainder, candidates) with
        {
            Corrections = applied,
        };
    }

    // Adds the variant's divisions that descend from a chain already found; false when none does.
    private bool Extend(Dictionary<long, Chain> chains, List<Chain> grown, int variant, bool bareAllowed, int end, int before)
    {
        grown.Clear();
        var start = _postingStart[variant];
        var stop = _postingStart[variant + 1];
        // Either look up each division's ancestors among the chains or search each chain's code range among the divisions,
        // whichever is fewer steps: a common name like 东关村 has hundreds of divisions, an early restart can leave many chains.
        if (stop - start <= 2 * chains.Count)
        {
            for (var p = start; p < stop; p++)
            {
                if (!bareAllowed && _postingKind[p] == VariantKind.Bare)
                {
                    continue;
                }
                var code = _codes[_postingDivision[p]];
                var level = _levels[_postingDivision[p]];
                Chain? parent = null;
                for (var a = 1; a < level; a++)
                {
                    if (chains.TryGetValue(Truncate(code, a), out var chain) && (parent is null || chain.Score > parent.Value.Score))
                    {
                        parent = chain;
                    }
                }
                if (parent is { } found)
                {
                    grown.Add(Grow(found, p, end, before));
                }
            }
        }
        else
        {
            foreach (var chain in chains.Values)
            {
                var level = _levels[chain.Division];
                if (level == (byte)DivisionLevel.Village)
                {
                    continue;
                }
                var last = chain.Code + LevelWidth[level] - 1;
                for (var p = FirstPostingAbove(start, stop, chain.Code); p < stop && _codes[_postingDivision[p]] <= last; p++)
                {
                    if (bareAllowed || _postingKind[p] != VariantKind.Bare)
                    {
                        grown.Add(Grow(chain, p, end, before));
                    }
                }
            }
        }
        foreach (var chain in grown)
        {
            Keep(chains, chain);
        }
        return grown.Count > 0;
    }

    private void StartChains(Dictionary<long, Chain> chains, int variant, bool bareAllowed, int end)
    {
        var weight = chains.Count > 0 ? RestartWeight : 1.0;
        for (var p = _postingStart[variant]; p < _postingStart[variant + 1]; p++)
        {
            var kind = _postingKind[p];
            if (bareAllowed || kind != VariantKind.Bare)
            {
                var division = _postingDivision[p];
                Keep(chains, new Chain(_codes[division], division, KindWeight[(int)kind] * weight, 1 << _levels[division], kind, end));
            }
        }
    }

    private static void Keep(Dictionary<long, Chain> chains, Chain chain)
    {
        if (!chains.TryGetValue(chain.Code, out var known) || chain.Score > known.Score)
        {
            chains[chain.Code] = chain;
        }
    }

    // before: where the character before the name is in the address (-1 at its head); one left unmatched after the chain
    // grown from is a gap (思 in 青县思马庄村, read as 马庄村), which Decide checks against the corrector.
    private Chain Grow(Chain from, int posting, int end, int before)
    {
        var division = _postingDivision[posting];
        var kind = _postingKind[posting];
        return new Chain(_codes[division], division, from.Score + KindWeight[(int)kind], from.Levels | (1 << _levels[division]), kind, end,
            from.Code, from.End, before >= from.End);
    }

    private bool HasUsablePosting(int variant, bool bareAllowed)
    {
        for (var p = _postingStart[variant]; p < _postingStart[variant + 1]; p++)
        {
            if (bareAllowed || _postingKind[p] != VariantKind.Bare)
            {
                return true;
            }
        }
        return false;
    }

    private int FirstPostingAbove(int start, int stop, long code)
    {
        while (start < stop)
        {
            var mid = (start + stop) >>> 1;
            if (_codes[_postingDivision[mid]] <= code)
            {
                start = mid + 1;
            }
            else
            {
                stop = mid;
            }
        }
        return start;
    }

    // Precision of the level reached, times how well the deepest name matched, times how much of its ancestry the text
    // confirmed; nearer ancestors weigh more because they are what tells same-named villages apart.
    private double ConfidenceOf(Chain chain)
    {
        var level = _levels[chain.Division];
        double total = 0, confirmed = 0;
        for (var a = 1; a < level; a++)
        {
            var index = Array.BinarySearch(_codes, Truncate(chain.Code, a));
            if (index < 0 || _placeholders[index])
            {
                continue;
            }
            var weight = 1.0 / (level - a);
            total += weight;
            if ((chain.Levels & (1 << a)) != 0)
            {
                confirmed += weight;
            }
        }
        var ancestry = total == 0 ? 1.0 : confirmed / total;
        return LevelPrecision[level] * KindWeight[(int)chain.Kind] * (0.6 + (0.4 * ancestry));
    }

    private int? CommonAncestor(IEnumerable<Chain> chains)
    {
        var list = chains.ToList();
        var shallowest = list.Min(c => _levels[c.Division]);
        for (var a = shallowest - 1; a >= 1; a--)
        {
            var code = Truncate(list[0].Code, a);
            if (list.TrueForAll(c => Truncate(c.Code, a) == code) && Array.BinarySearch(_codes, code) is var index and >= 0
                && !_placeholders[index])
            {
                return index;
            }
        }
        return null;
    }

    private static long Truncate(long code, int level) => code / LevelWidth[level] * LevelWidth[level];

    private static int PrefixKey(char first, char second) => (first << 16) | second;

    private static string Remainder(string address, int end)
    {
        var rest = address.AsSpan(end);
        var skip = 0;
        while (skip < rest.Length && !TryFold(rest[skip], out _))
        {
            skip++;
        }
        return rest[skip..].TrimEnd().ToString();
    }

    internal static int CommitteeTailLength(ReadOnlySpan<char> text)
    {
        foreach (var tail in CommitteeTails)
        {
            if (text.StartsWith(tail, StringComparison.Ordinal))
            {
                return tail.Length;
            }
        }
        return 0;
    }

    internal static bool StartsWithForeignEnding(ReadOnlySpan<char> text)
    {
        foreach (var word in ForeignEndings)
        {
            if (text.StartsWith(word, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    // Folds full-width ASCII and letter case; whitespace, punctuation and symbols carry no address meaning.
    private static bool TryFold(char c, out char folded)
    {
        if (c is >= '\uFF01' and <= '\uFF5E')
        {
            c = (char)(c - 0xFEE0);
        }
        folded = char.ToUpperInvariant(c);
        return !(char.IsWhiteSpace(c) || char.IsPunctuation(c) || char.IsSymbol(c) || char.IsControl(c));
    }

    private static string Fold(string name)
    {
        var unchanged = true;
        foreach (var c in name)
        {
            unchanged &= TryFold(c, out var folded) && folded == c;
        }
        if (unchanged)
        {
            return name;
        }
        var buffer = new char[name.Length];
        var n = 0;
        foreach (var c in name)
        {
            if (TryFold(c, out var folded))
            {
                buffer[n++] = folded;
            }
        }
        return new string(buffer, 0, n);
    }

    private static bool IsPlaceholder(string name) => DivisionTree.IsPlaceholder(name);

    private static void CollectVariants(string name, DivisionLevel level, List<(string Text, VariantKind Kind)> into)
    {
        var full = Fold(name);
        AddVariant(into, full, VariantKind.Full);
        var plain = full;
        if (name.Contains('（', StringComparison.Ordinal) || name.Contains('(', StringComparison.Ordinal))
        {
            plain = Fold(WithoutBracketed(name));
            AddVariant(into, plain, VariantKind.Short);
        }
        foreach (var rule in Rules)
        {
            if (rule.Level != level || !plain.EndsWith(rule.Suffix, StringComparison.Ordinal))
            {
                continue;
            }
            var stem = plain[..^rule.Suffix.Length];
            if (rule.Ethnic)
            {
                stem = WithoutEthnicity(stem);
            }
            foreach (var ending in rule.Endings)
            {
                AddVariant(into, stem + ending, ending.Length == 0 ? VariantKind.Bare : VariantKind.Short);
            }
            // 王庄村村委会: people write 王庄 as often as 王庄村.
            if (level == DivisionLevel.Village && rule.Endings.Length > 0 && stem.EndsWith('村'))
            {
                AddVariant(into, stem[..^1], VariantKind.Bare);
            }
            break;
        }
    }

    // A division's stems (its name without the level word: 司马庄, 清州) and the name people write for it (司马庄村, 清州镇),
    // for AddressCorrector, which compares written names with stems.
    internal static (string[] Stems, string Usual) NameForms(string name, DivisionLevel level)
    {
        var variants = new List<(string Text, VariantKind Kind)>(8);
        CollectVariants(name, level, variants);
        var stems = variants.Where(v => v.Kind == VariantKind.Bare).Select(v => v.Text).ToArray();
        var usual = variants.FirstOrDefault(v => v.Kind == VariantKind.Short).Text ?? name;
        return (stems.Length > 0 ? stems : [Fold(name)], usual);
    }

    private static void AddVariant(List<(string Text, VariantKind Kind)> into, string text, VariantKind kind)
    {
        if (text.Length is < MinVariantLength or > MaxVariantLength)
        {
            return;
        }
        for (var i = 0; i < into.Count; i++)
        {
            if (into[i].Text == text)
            {
                if (kind < into[i].Kind)
                {
                    into[i] = (text, kind);
                }
                return;
            }
        }
        into.Add((text, kind));
    }

    private static string WithoutEthnicity(string stem)
    {
        for (var stripped = true; stripped;)
        {
            stripped = false;
            foreach (var ethnicity in Ethnicities)
            {
                if (stem.Length - ethnicity.Length >= MinVariantLength && stem.EndsWith(ethnicity, StringComparison.Ordinal))
                {
                    stem = stem[..^ethnicity.Length];
                    stripped = true;
                    break;
                }
            }
        }
        return stem;
    }

    private static string WithoutBracketed(string name)
    {
        var result = new System.Text.StringBuilder(name.Length);
        var depth = 0;
        foreach (var c in name)
        {
            if (c is '（' or '(')
            {
                depth++;
            }
            else if (c is '）' or ')')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0)
            {
                result.Append(c);
            }
        }
        return result.ToString();
    }

    // Variant texts by id, in one character pool with an open-addressing index: the national tree has 1.5 million distinct
    // variants, and as separate strings in a Dictionary they took more memory than the tree itself.
    private sealed class VariantTable
    {
        private char[] _pool;
        private int _poolLength;
        private int[] _offsets;
        private byte[] _lengths;
        private int[] _hashes;
        private int[] _slots;
        private int _mask;

        public VariantTable(int capacity)
        {
            _pool = new char[capacity * 4];
            _offsets = new int[capacity];
            _lengths = new byte[capacity];
            _hashes = new int[capacity];
            _slots = new int[(int)BitOperations.RoundUpToPowerOf2((uint)capacity * 2)];
            _mask = _slots.Length - 1;
        }

        public int Count { get; private set; }

        public int Find(ReadOnlySpan<char> text)
        {
            var hash = string.GetHashCode(text, StringComparison.Ordinal);
            for (var slot = hash & _mask; _slots[slot] != 0; slot = (slot + 1) & _mask)
            {
                if (Is(_slots[slot] - 1, hash, text))
                {
                    return _slots[slot] - 1;
                }
            }
            return -1;
        }

        public int GetOrAdd(ReadOnlySpan<char> text)
        {
            var hash = string.GetHashCode(text, StringComparison.Ordinal);
            var slot = hash & _mask;
            for (; _slots[slot] != 0; slot = (slot + 1) & _mask)
            {
                if (Is(_slots[slot] - 1, hash, text))
                {
                    return _slots[slot] - 1;
                }
            }
            if (Count == _offsets.Length)
            {
                Array.Resize(ref _offsets, Count * 2);
                Array.Resize(ref _lengths, Count * 2);
                Array.Resize(ref _hashes, Count * 2);
            }
            if (_poolLength + text.Length > _pool.Length)
            {
                Array.Resize(ref _pool, Math.Max(_pool.Length * 2, _poolLength + text.Length));
            }
            text.CopyTo(_pool.AsSpan(_poolLength));
            _offsets[Count] = _poolLength;
            _lengths[Count] = (byte)text.Length;
            _hashes[Count] = hash;
            _poolLength += text.Length;
            _slots[slot] = ++Count;
            if (Count * 2 > _slots.Length)
            {
                Rehash(_slots.Length * 2);
            }
            return Count - 1;
        }

        public void TrimExcess()
        {
            Array.Resize(ref _pool, _poolLength);
            Array.Resize(ref _offsets, Count);
            Array.Resize(ref _lengths, Count);
            Array.Resize(ref _hashes, Count);
            var size = (int)BitOperations.RoundUpToPowerOf2((uint)Count * 2);
            if (size < _slots.Length)
            {
                Rehash(size);
            }
        }

        private bool Is(int id, int hash, ReadOnlySpan<char> text) =>
            _hashes[id] == hash && _pool.AsSpan(_offsets[id], _lengths[id]).SequenceEqual(text);

        private void Rehash(int size)
        {
            _slots = new int[size];
            _mask = size - 1;
            for (var id = 0; id < Count; id++)
            {
                var slot = _hashes[id] & _mask;
                while (_slots[slot] != 0)
                {
                    slot = (slot + 1) & _mask;
                }
                _slots[slot] = id + 1;
            }
        }
    }

    private enum VariantKind : byte
    {
        Full,
        Short,
        Bare,
    }

    private readonly record struct SuffixRule(DivisionLevel Level, string Suffix, bool Ethnic, string[] Endings);

    // A division reached by a chain of matched names; Levels has bit n set when a level-n name was matched. From is the
    // chain it grew from (0 when it started one; FromEnd: where that chain ended), Gap whether text was left unmatched
    // between the two.
    private readonly record struct Chain(long Code, int Division, double Score, int Levels, VariantKind Kind, int End, long From = 0, int FromEnd = 0, bool Gap = false);
}
