namespace Fangyi.Core.Storage;

/// <summary>
/// The two stores Fangyi runs on. Every place where their SQL differs is named here, so a reader can see
/// the whole difference at once; everything else is written once in the dialect both accept.
/// </summary>
public enum Dialect
{
    Sqlite,
    Postgres,
}
