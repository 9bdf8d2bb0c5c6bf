using Fangyi.Core.Printing;
namespace Fangyi.Features.Sampling;

public enum LabelLayout
{
    A4,           // A4 sheet of self-adhesive labels, office printer
    Thermal50x30, // roll of 50 × 30 mm labels, thermal printer
}

public sealed record LabelRequest(string Title, IReadOnlyList<string> Codes, LabelLayout Layout);

/// <summary>Where labels sit on a page, in mm. Padding keeps the print clear of the label's die-cut edge.</summary>
public sealed record LabelGrid
{
    /// <summary>The common A4 30-up stock (A4 30格): 3 × 10 labels of 70 × 29.7 mm, edge to edge.</summary>
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

/// <summary>Tube and box code labels (试管码/转运箱码): a title line, a Code 128 barcode and the code in text.</summary>
public sealed class LabelSheet(LabelGrid? a4 = null, string fontPath = LabelFont.DefaultPath)
{
    private readonly LabelGrid _a4 = a4 ?? LabelGrid.A4;

    public string Html(LabelRequest request) => SheetRender.Html(request.Title, Pages(request));

    public byte[] Pdf(LabelRequest request) => SheetRender.Pdf(request.Title, Pages(request), fontPath);

    private List<SheetPage> Pages(LabelRequest request)
    {
        if (request.Codes.Count == 0)
        {
            throw new ArgumentException("No codes to print.", nameof(request));
        }
        var grid = request.Layout == LabelLayout.A4 ? _a4 : LabelGrid.Thermal50x30;
        return request.Codes.Chunk(grid.PerPage)
            .Select(codes => new SheetPage(grid.PageWidth, grid.PageHeight, codes.SelectMany((code, i) => Label(grid, i, request.Title, code)).ToList()))
            .ToList();
    }

    private static IEnumerable<Mark> Label(LabelGrid grid, int index, string title, string code)
    {
        var x = grid.Left + index % grid.Columns * (grid.LabelWidth + grid.GapX) + grid.PaddingX;
        var y = grid.Top + index / grid.Columns * (grid.LabelHeight + grid.GapY) + grid.PaddingY;
        var width = grid.LabelWidth - 2 * grid.PaddingX;
        var bottom = y + grid.LabelHeight - 2 * grid.PaddingY;

        var heading = TextMark.Fit(title, x, y, width, grid.LabelHeight * 0.1);
        var text = TextMark.Fit(code, x, 0, width, grid.LabelHeight * 0.12);
        text = text with { Y = bottom - text.Height };

        var bars = Barcodes.Code128(code);
        var module = SheetRender.ModuleSize(width, bars.Width);
        var barsTop = heading.Y + heading.Height + 0.5;
        var barcode = new BarcodeMark(bars, x + (width - module * bars.Width) / 2, barsTop, module * bars.Width, text.Y - 0.3 - barsTop);
        return [heading, barcode, text];
    }
}
