using Fangyi.Core.Printing;
using System.Globalization;
using PdfSharp.Drawing;

namespace Fangyi.Features.Citizens;

public sealed record CitizenCard(string Name, string MaskedId, string CodeText);

// Heading is the village's full name, printed atop each page and on each card.
public sealed record CitizenSheetRequest(string Heading, IReadOnlyList<CitizenCard> Cards);

// Citizen codes (市民码) on paper, for people without a phone: A4 pages of 2 × 4 cards for a village worker
// to print, cut along the dashed lines and hand out.
public sealed class CitizenCodeSheet(TimeProvider clock, string fontPath = LabelFont.DefaultPath)
{
    private const double PageWidth = 210, PageHeight = 297, Margin = 10, HeadingHeight = 12;
    private const int Columns = 2, Rows = 4;
    private const double Pad = 3, QrBox = 50; // a ~160-character code gets a 39 mm symbol: 35 mm or more scans off paper

    private static readonly TimeSpan ChinaTime = TimeSpan.FromHours(8);

    public string Html(CitizenSheetRequest request) => SheetRender.Html(request.Heading, Pages(request));

    public byte[] Pdf(CitizenSheetRequest request) => SheetRender.Pdf(request.Heading, Pages(request), fontPath);

    private List<SheetPage> Pages(CitizenSheetRequest request)
    {
        if (request.Cards.Count == 0)
        {
            throw new ArgumentException("No cards to print.", nameof(request));
        }
        var date = clock.GetUtcNow().ToOffset(ChinaTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var chunks = request.Cards.Chunk(Columns * Rows).ToList();
        return chunks.Select((cards, p) =>
        {
            var width = PageWidth - 2 * Margin;
            List<Mark> marks =
            [
                TextMark.Fit(request.Heading, Margin, Margin, width * 0.7, 5, XStringAlignment.Near),
                TextMark.Fit($"打印日期 {date}　第 {p + 1}/{chunks.Count} 页", Margin + width * 0.7, Margin + 1, width * 0.3, 3.5, XStringAlignment.Far),
            ];
            marks.AddRange(cards.SelectMany((card, i) => Card(i, request.Heading, card)));
            return new SheetPage(PageWidth, PageHeight, marks);
        }).ToList();
    }

    private static IEnumerable<Mark> Card(int index, string village, CitizenCard card)
    {
        var cardWidth = (PageWidth - 2 * Margin) / Columns;
        var cardHeight = (PageHeight - 2 * Margin - HeadingHeight) / Rows;
        var x = Margin + index % Columns * cardWidth;
        var y = Margin + HeadingHeight + index / Columns * cardHeight;
        yield return new CutMark(x + 1, y + 1, cardWidth - 2, cardHeight - 2);

        var qr = Barcodes.Qr(card.CodeText);
        var side = SheetRender.ModuleSize(QrBox, qr.Width) * qr.Width;
        yield return new BarcodeMark(qr, x + Pad + (QrBox - side) / 2, y + Pad + (QrBox - side) / 2, side, side);

        // The QR's own quiet zone separates it from the text column.
        var textX = x + Pad + QrBox;
        var textWidth = cardWidth - QrBox - 2 * Pad;
        yield return TextMark.Fit("市民码", textX, y + Pad + 4, textWidth, 3.5, XStringAlignment.Near);
        yield return TextMark.Fit(card.Name, textX, y + Pad + 12, textWidth, 7, XStringAlignment.Near);
        yield return TextMark.Fit(card.MaskedId, textX, y + Pad + 24, textWidth, 3.6, XStringAlignment.Near);
        yield return TextMark.Fit("请妥善保管，查验时出示", textX, y + Pad + 36, textWidth, 2.8, XStringAlignment.Near);
        yield return TextMark.Fit(village, x + Pad, y + Pad + QrBox + 2, cardWidth - 2 * Pad, 3.5, XStringAlignment.Center);
    }
}
