namespace Fangyi.Core.Imports;

public enum ImportState
{
    Running,
    Done,
    Failed,
}
