using System.Globalization;
using System.Net;
using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Fangyi.Core.Printing;

internal static class SheetRender
{
    // A 203-dpi thermal head prints 8 dots per mm: modules a whole number of dots wide keep every bar true.
    private const double Dot = 0.125;

    public static double ModuleSize(double available, int modules)
    {
        var exact = available / modules;
        var snapped = Math.Floor(exact / Dot) * Dot;
        return snapped > 0 ? snapped : exact;
    }

    private static string Mm(double value) => value.ToString("0.###", CultureInfo.InvariantCulture) + "mm";

    private static string Html(string text) => WebUtility.HtmlEncode(text);

    public static string Html(string title, IReadOnlyList<SheetPage> pages)
    {
        var (width, height) = pages.Count > 0 ? (pages[0].Width, pages[0].Height) : (210, 297);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{Html(title)}}</title>
            <style>
            @page { size: {{Mm(width)}} {{Mm(height)}}; margin: 0; }
            html, body { margin: 0; padding: 0; }
            body { font-family: "AR PL SungtiL GB", "Noto Serif CJK SC", "Noto Sans CJK SC", "SimSun", serif; color: #000; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
            .page { position: relative; overflow: hidden; width: {{Mm(width)}}; height: {{Mm(height)}}; background: #fff; break-after: page; page-break-after: always; }
            .page:last-child { break-after: auto; page-break-after: auto; }
            .page > * { position: absolute; box-sizing: border-box; margin: 0; }
            .text { white-space: nowrap; overflow: hidden; }
            .cut { border: 0.2mm dashed #888; border-radius: 2mm; }
            svg { display: block; fill: #000; }
            @media screen { body { background: #999; padding: 4mm 0; } .page { margin: 0 auto 4mm; box-shadow: 0 0 2mm rgba(0, 0, 0, 0.5); } }
            </style>
            </head>
            <body>

            """);
        foreach (var page in pages)
        {
            html.Append("<section class=\"page\">\n");
            foreach (var mark in page.Marks)
            {
                html.Append(mark switch
                {
                    BarcodeMark b => $"<div style=\"left:{Mm(b.X)};top:{Mm(b.Y)}\">{Barcodes.Svg(b.Modules, b.Width, b.Height)}</div>",
                    TextMark t => $"<div class=\"text\" style=\"left:{Mm(t.X)};top:{Mm(t.Y)};width:{Mm(t.Width)};font-size:{Mm(t.Size)};line-height:{Mm(t.Height)};text-align:{CssAlign(t.Align)}\">{Html(t.Text)}</div>",
                    CutMark c => $"<div class=\"cut\" style=\"left:{Mm(c.X)};top:{Mm(c.Y)};width:{Mm(c.Width)};height:{Mm(c.Height)}\"></div>",
                    _ => throw new NotSupportedException(mark.GetType().Name),
                });
                html.Append('\n');
            }
            html.Append("</section>\n");
        }
        return html.Append("</body>\n</html>\n").ToString();
    }

    private static string CssAlign(XStringAlignment align) => align switch
    {
        XStringAlignment.Near => "left",
        XStringAlignment.Far => "right",
        _ => "center",
    };

    public static byte[] Pdf(string title, IReadOnlyList<SheetPage> pages, string fontPath)
    {
        var family = LabelFont.Family(fontPath);
        using var document = new PdfDocument();
        document.Info.Title = title;
        document.Info.Creator = "Fangyi";
        foreach (var sheet in pages)
        {
            var page = document.AddPage();
            page.Width = XUnit.FromMillimeter(sheet.Width);
            page.Height = XUnit.FromMillimeter(sheet.Height);
            using var gfx = XGraphics.FromPdfPage(page);
            foreach (var mark in sheet.Marks)
            {
                switch (mark)
                {
                    case BarcodeMark b:
                        Draw(gfx, b);
                        break;
                    case TextMark t:
                        var font = new XFont(family, Pt(t.Size), XFontStyleEx.Regular, new XPdfFontOptions(PdfFontEncoding.Unicode));
                        var format = new XStringFormat { Alignment = t.Align, LineAlignment = XLineAlignment.Center };
                        gfx.DrawString(t.Text, font, XBrushes.Black, new XRect(Pt(t.X), Pt(t.Y), Pt(t.Width), Pt(t.Height)), format);
                        break;
                    case CutMark c:
                        var pen = new XPen(XColors.Gray, Pt(0.2)) { DashStyle = XDashStyle.Dash };
                        gfx.DrawRoundedRectangle(pen, Pt(c.X), Pt(c.Y), Pt(c.Width), Pt(c.Height), Pt(4), Pt(4));
                        break;
                    default:
                        throw new NotSupportedException(mark.GetType().Name);
                }
            }
        }
        using var stream = new MemoryStream();
        document.Save(stream);
        return stream.ToArray();
    }

    private static double Pt(double mm) => mm * 72 / 25.4;

    // Filled rectangles, not an image, so bars stay sharp at any printer resolution; one path, so
    // touching QR modules leave no hairline seams between them.
    private static void Draw(XGraphics gfx, BarcodeMark b)
    {
        var moduleWidth = b.Width / b.Modules.Width;
        var moduleHeight = b.Height / b.Modules.Height;
        var path = new XGraphicsPath();
        foreach (var run in b.Modules.Runs)
        {
            path.AddRectangle(Pt(b.X + run.X * moduleWidth), Pt(b.Y + run.Y * moduleHeight), Pt(run.Length * moduleWidth), Pt(moduleHeight));
        }
        gfx.DrawPath(XBrushes.Black, path);
    }
}
