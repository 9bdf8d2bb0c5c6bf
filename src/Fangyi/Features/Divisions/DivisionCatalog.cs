using Fangyi.Core.Imports;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Storage;

namespace Fangyi.Features.Divisions;

/// <summary>
/// The divisions table and what is derived from it: loads the tree into the shared <see cref="DivisionDirectory"/>
/// (seeding the shipped divisions into an empty store), imports a file, and matches free-text addresses.
/// </summary>
public sealed class DivisionCatalog(Store store, DivisionDirectory directory)
{
    private (DivisionTree Tree, AddressMatcher Matcher)? _matcher;

    public DivisionTree Tree => directory.Tree;

    /// <summary>Built on first use per tree: the national tree takes seconds to index and most hosts never match addresses.</summary>
    public AddressMatcher Matcher
    {
        get
        {
            var tree = directory.Tree;
            lock (this)
            {
                if (_matcher is not { } built || !ReferenceEquals(built.Tree, tree))
                {
                    _matcher = built = (tree, new AddressMatcher(tree));
                }
                return built.Matcher;
            }
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
        directory.Replace(new DivisionTree(divisions));
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
