using Fangyi.Core.Printing;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Fangyi.Features.Dashboard;

// The daily report as an A4 landscape PDF: the table, ruled, carried over to further pages, then the facts.
public static class ReportPdf
{
    private const double Margin = 36, RowHeight = 18;

    public static byte[] Render(ScreenReport report, string fontPath = LabelFont.DefaultPath)
    {
        var family = LabelFont.Family(fontPath);
        var title = new XFont(family, 16);
        var small = new XFont(family, 9);
        var cell = new XFont(family, 9.5);
        using var document = new PdfDocument();
        document.Info.Title = report.Title;
        var first = report.Columns.Count > 0 ? 150.0 : 0;

        PdfPage page = null!;
        XGraphics g = null!;
        double y = 0;
        double[] widths = [];
        void NewPage()
        {
            g?.Dispose();
            page = document.AddPage();
            page.Width = XUnit.FromMillimeter(297);
            page.Height = XUnit.FromMillimeter(210);
            g = XGraphics.FromPdfPage(page);
            var usable = page.Width.Point - 2 * Margin;
            widths = report.Columns.Select((_, i) => i == 0 ? first : (usable - first) / (report.Columns.Count - 1)).ToArray();
            g.DrawString(report.Title, title, XBrushes.Black, new XPoint(Margin, Margin + 12));
            g.DrawString(report.Subtitle, small, XBrushes.DimGray, new XPoint(Margin, Margin + 30));
            y = Margin + 44;
            Row(report.Columns, header: true);
        }
        void Row(IReadOnlyList<string> cells, bool header = false, bool total = false)
        {
            var x = Margin;
            if (header || total)
            {
                g.DrawRectangle(new XSolidBrush(XColor.FromArgb(header ? 230 : 242, header ? 236 : 242, header ? 245 : 242)), Margin, y, widths.Sum(), RowHeight);
            }
            for (var i = 0; i < cells.Count; i++)
            {
                var rect = new XRect(x + 4, y, widths[i] - 8, RowHeight);
                g.DrawString(cells[i], cell, XBrushes.Black, rect, i == 0 ? XStringFormats.CenterLeft : XStringFormats.CenterRight);
                x += widths[i];
            }
            y += RowHeight;
            g.DrawLine(new XPen(XColors.LightGray, 0.5), Margin, y, Margin + widths.Sum(), y);
        }

        NewPage();
        foreach (var row in report.Rows)
        {
            if (y + RowHeight > page.Height.Point - Margin)
            {
                NewPage();
            }
            Row([row.Name, .. row.Cells], total: row.Total);
        }
        y += 14;
        foreach (var (label, value) in report.Facts)
        {
            if (y + RowHeight > page.Height.Point - Margin)
            {
                NewPage();
            }
            g.DrawString(label + "：", cell, XBrushes.Black, new XPoint(Margin, y + 12));
            g.DrawString(value, cell, XBrushes.Black, new XPoint(Margin + 160, y + 12));
            y += RowHeight;
        }
        g.Dispose();
        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }
}
