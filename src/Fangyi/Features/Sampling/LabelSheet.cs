using Fangyi.Core.Printing;
namespace Fangyi.Features.Sampling;

// Tube and box code labels (试管码/转运箱码): a title line, a Code 128 barcode and the code in text.
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
