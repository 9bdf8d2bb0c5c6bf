namespace Fangyi.Core.Progress;

/// <summary>How far a long job has come: rows done, and out of how many when that is known.</summary>
public readonly record struct RowProgress(long Done, long? Total = null);
