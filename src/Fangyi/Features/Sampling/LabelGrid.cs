namespace Fangyi.Features.Sampling;

// Where labels sit on a page, in mm. Padding keeps the print clear of the label's die-cut edge.
public sealed record LabelGrid
{
    // The common A4 30-up stock (A4 30格): 3 × 10 labels of 70 × 29.7 mm, edge to edge.
    public static readonly LabelGrid A4 = new();

    public static readonly LabelGrid Thermal50x30 = new()
    {
        PageWidth = 50, PageHeight = 30, Columns = 1, Rows = 1, LabelWidth = 50, LabelHeight = 30, PaddingX = 2, PaddingY = 2,
    };

    public double PageWidth { get; init; } = 210;
    public double PageHeight { get; init; } = 297;
    public int Columns { get; init; } = 3;
    public int Rows { get; init; } = 10;
    public double LabelWidth { get; init; } = 70;
    public double LabelHeight { get; init; } = 29.7;
    public double Left { get; init; }
    public double Top { get; init; }
    public double GapX { get; init; }
    public double GapY { get; init; }
    public double PaddingX { get; init; } = 4;
    public double PaddingY { get; init; } = 3;

    public int PerPage => Columns * Rows;
}
