namespace Fangyi.Core.Jurisdiction;

/// <summary>
/// The division table held in memory (the national file is 665,276 rows, about 60 MB): children, paths,
/// search, and the region check of identity numbers read it without touching the store. An import swaps in
/// a new tree at once.
/// </summary>
public sealed class DivisionTree
{
    private static readonly IReadOnlyList<Division> None = [];
    private readonly Dictionary<long, Division> _byCode;
    private readonly Dictionary<long, List<Division>> _children;
    private readonly List<Division> _roots;

    public DivisionTree(IEnumerable<Division> divisions)
    {
        _byCode = new Dictionary<long, Division>();
        foreach (var division in divisions)
        {
            _byCode[division.Code] = division;
        }
        _children = new Dictionary<long, List<Division>>();
        _roots = [];
        foreach (var division in _byCode.Values)
        {
            if (division.Parent is { } parent && _byCode.ContainsKey(parent))
            {
                if (!_children.TryGetValue(parent, out var list))
                {
                    _children[parent] = list = [];
                }
                list.Add(division);
            }
            else
            {
                _roots.Add(division);
            }
        }
        foreach (var list in _children.Values)
        {
            list.Sort((a, b) => a.Code.CompareTo(b.Code));
        }
        _roots.Sort((a, b) => a.Code.CompareTo(b.Code));
    }

    public int Count => _byCode.Count;

    public IEnumerable<Division> All => _byCode.Values;

    public IReadOnlyList<Division> Roots => _roots;

    public Division? Find(long code) => _byCode.GetValueOrDefault(code);

    public IReadOnlyList<Division> Children(long code) => _children.TryGetValue(code, out var list) ? list : None;

    /// <summary>From the root down to the division itself.</summary>
    public IReadOnlyList<Division> Path(long code)
    {
        var path = new List<Division>(5);
        for (var d = Find(code); d is not null; d = d.Parent is { } p ? Find(p) : null)
        {
            path.Add(d);
            if (path.Count > 8)
            {
                break;
            }
        }
        path.Reverse();
        return path;
    }

    /// <summary>河北省沧州市青县清州镇司马庄村民委员会. Municipal placeholders such as 市辖区 are left out.</summary>
    public string PathName(long code) => string.Concat(Path(code).Where(d => !IsPlaceholder(d.Name)).Select(d => d.Name));

    /// <summary>Levels the statistics keep for bookkeeping that no address names: 市辖区, 省直辖县级行政区划 and the like.</summary>
    public static bool IsPlaceholder(string name) => name is "市辖区" or "县" || name.EndsWith("直辖县级行政区划", StringComparison.Ordinal);

    /// <summary>Is a 6-digit region code of an identity number a known province, city or county?</summary>
    public bool RegionExists(int region) => _byCode.ContainsKey(region * 1_000_000L);

    /// <summary>Every division in a subtree, the root included, in code order.</summary>
    public IEnumerable<Division> Descendants(long code)
    {
        if (Find(code) is not { } root)
        {
            yield break;
        }
        var stack = new Stack<Division>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var d = stack.Pop();
            yield return d;
            var children = Children(d.Code);
            for (var i = children.Count - 1; i >= 0; i--)
            {
                stack.Push(children[i]);
            }
        }
    }

    /// <summary>Divisions whose name contains the text, shallower levels first, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<Division> Search(string text, int limit, long? within = null)
    {
        text = text.Trim();
        if (text.Length == 0)
        {
            return None;
        }
        var scope = within is { } w ? Core.Jurisdiction.Scope.Of(w) : Core.Jurisdiction.Scope.Everything;
        return _byCode.Values
            .Where(d => scope.Contains(d.Code) && d.Name.Contains(text, StringComparison.Ordinal))
            .OrderBy(d => d.Name.Length != text.Length)
            .ThenBy(d => d.Level)
            .ThenBy(d => d.Code)
            .Take(limit)
            .ToList();
    }
}
