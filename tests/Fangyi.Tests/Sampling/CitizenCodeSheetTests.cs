using Fangyi.Features.Citizens;
using System.Text.RegularExpressions;
using Fangyi.Core.Printing;
using PdfSharp.Pdf.IO;

namespace Fangyi.Tests.Sampling;

public class CitizenCodeSheetTests
{
    private const string Village = "河北省沧州市青县清州镇大屯村";

    // 17:00 UTC is already the next day in China.
    private static readonly CitizenCodeSheet Sheet = new(new FixedClock(new DateTimeOffset(2026, 11, 27, 17, 0, 0, TimeSpan.Zero)));

    private static readonly string[] Names = ["张三", "李秀英", "王建国", "赵桂兰", "刘洋", "陈志强", "杨丽", "黄海", "周淑珍"];

    private static List<CitizenCard> Cards(int count) =>
        Enumerable.Range(0, count).Select(i => new CitizenCard(Names[i % Names.Length], $"130922********{i:D3}X", BarcodeTests.CitizenCodeText(i))).ToList();

    [Fact]
    public void Html_HasAQrPerCardAndAHeadingPerPage()
    {
        var cards = Cards(9);

        var html = Sheet.Html(new CitizenSheetRequest(Village, cards));

        Assert.Contains("<html lang=\"zh-CN\">", html, StringComparison.Ordinal);
        Assert.Contains("@page { size: 210mm 297mm; margin: 0; }", html, StringComparison.Ordinal);
        Assert.Equal(cards.Count, Regex.Count(html, "<svg"));
        Assert.Equal(2, Regex.Count(html, "打印日期 2026-11-28"));
        Assert.Contains("第 2/2 页", html, StringComparison.Ordinal);
        Assert.All(cards, card => Assert.Contains($">{card.Name}</div>", html, StringComparison.Ordinal));
        Assert.All(cards, card => Assert.Contains($">{card.MaskedId}</div>", html, StringComparison.Ordinal));
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Poppler.Folder).FullName, "citizen-sheet.html"), html);
    }

    [Theory]
    [InlineData(8, 1)]
    [InlineData(9, 2)]
    public void Pdf_HasAPagePerEightCards(int cards, int pages)
    {
        var pdf = Sheet.Pdf(new CitizenSheetRequest(Village, Cards(cards)));

        using var document = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);
        Assert.Equal(pages, document.PageCount);
    }

    [Fact]
    public void Pdf_TextHasTheVillageNamesAndMaskedIds()
    {
        var cards = Cards(8);

        var text = Poppler.Text(Poppler.Save(Sheet.Pdf(new CitizenSheetRequest(Village, cards)), "citizen-text"));

        Assert.Contains(Village, text, StringComparison.Ordinal);
        Assert.Contains("2026-11-28", text, StringComparison.Ordinal);
        Assert.All(cards, card => Assert.Contains(card.Name, text, StringComparison.Ordinal));
        Assert.All(cards, card => Assert.Contains(card.MaskedId, text, StringComparison.Ordinal));
    }

    [Fact]
    public void Pdf_PrintsEveryQrReadablyAndAtLeast35MillimetresWide()
    {
        const int Dpi = 150;
        var cards = Cards(8);

        var page = Poppler.Page1(Poppler.Save(Sheet.Pdf(new CitizenSheetRequest(Village, cards)), "citizen-sheet"), Dpi);

        // Cut the page into its 2 × 4 cards below the heading and read each on its own.
        int Px(double mm) => (int)Math.Round(mm / 25.4 * Dpi);
        for (var i = 0; i < cards.Count; i++)
        {
            var card = page.Crop(Px(10 + i % 2 * 95), Px(22 + i / 2 * 66.25), Px(95), Px(66.25));
            var result = card.Qr();
            Assert.Equal(cards[i].CodeText, result?.Text);

            // Finder-pattern centres sit 3.5 modules in from the corners of a symbol of n modules.
            var n = Barcodes.Qr(cards[i].CodeText).Width - 8;
            var (topLeft, topRight) = (result!.ResultPoints[1], result.ResultPoints[2]);
            var centres = Math.Sqrt(Math.Pow(topRight.X - topLeft.X, 2) + Math.Pow(topRight.Y - topLeft.Y, 2));
            Assert.InRange(centres * n / (n - 7) / Dpi * 25.4, 35, 60);
        }
    }

    [Fact]
    public void Request_WithoutCardsIsRefused()
    {
        Assert.Throws<ArgumentException>(() => Sheet.Pdf(new CitizenSheetRequest(Village, [])));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
