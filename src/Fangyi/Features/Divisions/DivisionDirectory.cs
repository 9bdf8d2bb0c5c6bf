using Fangyi.Core.Imports;

namespace Fangyi.Features.Divisions;

/// <summary>
/// The division tree and address matcher the host serves from memory, loaded from the store at start
/// (seeded with the shipped divisions when the store has none) and swapped after an import.
/// </summary>
public sealed class DivisionDirectory(Core.Store.Store store)
{
    private volatile State _state = new(new DivisionTree([]), null);

    private sealed record State(DivisionTree Tree, AddressMatcher? Matcher);

    public DivisionTree Tree => _state.Tree;

    /// <summary>Built on first use: the national tree takes seconds to index and most hosts never match addresses.</summary>
    public AddressMatcher Matcher
    {
        get
        {
            var state = _state;
            if (state.Matcher is null)
            {
                lock (this)
                {
                    state = _state;
                    if (state.Matcher is null)
                    {
                        state = state with { Matcher = new AddressMatcher(state.Tree) };
                        _state = state;
                    }
                }
            }
            return state.Matcher!;
        }
    }

    public async Task LoadAsync(CancellationToken ct = default)
    {
        var divisions = await DivisionImport.LoadAsync(store, ct);
        if (divisions.Count == 0)
        {
            divisions = DivisionImport.Shipped();
            await DivisionImport.SaveAsync(store, divisions, ct: ct);
        }
        _state = new State(new DivisionTree(divisions), null);
    }

    /// <param name="progress">Divisions written, of the good rows.</param>
    public async Task<ImportReport> ImportAsync(Stream file, IProgress<Core.Progress.RowProgress>? progress = null, CancellationToken ct = default)
    {
        var (good, errors, rows) = DivisionImport.Parse(file);
        var known = Tree;
        var created = good.Count(d => known.Find(d.Code) is null);
        var updated = good.Count(d => known.Find(d.Code) is { } old && old != d);
        await DivisionImport.SaveAsync(store, good, progress, ct);
        await LoadAsync(ct);
        return new ImportReport(rows, created, updated, good.Count - created - updated, errors);
    }
}
