namespace Fangyi.Core.Jurisdiction;

/// <summary>
/// The division tree every capability reads from memory. The divisions capability owns the table it comes from:
/// it loads the tree at start and replaces it after an import, in one swap that readers never see half done.
/// </summary>
public sealed class DivisionDirectory
{
    private volatile DivisionTree _tree = new([]);

    public DivisionTree Tree => _tree;

    public void Replace(DivisionTree tree) => _tree = tree;
}
