namespace Fangyi.Core.Imports;

/// <summary>One refused row of a file import: its row number as the user sees it (header is row 1), the column and why.</summary>
public sealed record ImportRowError(int Row, string Column, string Reason);
