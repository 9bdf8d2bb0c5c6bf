using System.Text.RegularExpressions;
using Fangyi.Features.Sampling;
using PdfSharp.Pdf.IO;

namespace Fangyi.Tests.Sampling;

public class LabelSheetTests
{
    private const string Title = "沧州市青县 试管码";

    private static List<string> Codes(int count, CodeType type = CodeType.Tube) =>
        Enumerable.Range(0, count).Select(i => new SampleCode(type, 1234 + i).ToString()).ToList();

    [Theory]
    [InlineData(LabelLayout.A4, "size: 210mm 297mm")]
    [InlineData(LabelLayout.Thermal50x30, "size: 50mm 30mm")]
    public void Html_HasOneBarcodePerLabelAndThePageSize(LabelLayout layout, string size)
    {
        var codes = Codes(31);

        var html = new LabelSheet().Html(new LabelRequest(Title, codes, layout));

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"zh-CN\">", html, StringComparison.Ordinal);
        Assert.Contains("<meta charset=\"utf-8\">", html, StringComparison.Ordinal);
        Assert.Contains($"@page {{ {size}; margin: 0; }}", html, StringComparison.Ordinal);
        Assert.Equal(codes.Count, Regex.Count(html, "<svg"));
        Assert.Equal(codes.Count, Regex.Count(html, $">{Title}</div>"));
        Assert.All(codes, code => Assert.Contains($">{code}</div>", html, StringComparison.Ordinal));
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Poppler.Folder).FullName, $"labels-{layout}.html"), html);
    }

    [Theory]
    [InlineData(LabelLayout.A4, 30, 1)]
    [InlineData(LabelLayout.A4, 31, 2)]
    [InlineData(LabelLayout.Thermal50x30, 3, 3)]
    public void Pdf_HasAPagePerSheetOfLabels(LabelLayout layout, int codes, int pages)
    {
        var pdf = new LabelSheet().Pdf(new LabelRequest(Title, Codes(codes), layout));

        using var document = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);
        Assert.Equal(pages, document.PageCount);
    }

    [Theory]
    [InlineData(LabelLayout.A4)]
    [InlineData(LabelLayout.Thermal50x30)]
    public void Pdf_TextHasTheCodesAndTheChineseTitle(LabelLayout layout)
    {
        var codes = Codes(4, CodeType.Box);

        var text = Poppler.Text(Poppler.Save(new LabelSheet().Pdf(new LabelRequest(Title, codes, layout)), $"text-{layout}"));

        Assert.Contains(Title, text, StringComparison.Ordinal);
        Assert.All(codes, code => Assert.Contains(code, text, StringComparison.Ordinal));
    }

    [Fact]
    public void Pdf_A4PagePrintsEveryBarcodeReadably()
    {
        const int Dpi = 200;
        var grid = LabelGrid.A4;
        var codes = Codes(30);

        var page = Poppler.Page1(Poppler.Save(new LabelSheet().Pdf(new LabelRequest(Title, codes, LabelLayout.A4)), "a4-labels"), Dpi);

        int Px(double mm) => (int)Math.Round(mm / 25.4 * Dpi);
        var read = Enumerable.Range(0, grid.PerPage).Select(i => page.Crop(
            Px(grid.Left + i % grid.Columns * (grid.LabelWidth + grid.GapX)),
            Px(grid.Top + i / grid.Columns * (grid.LabelHeight + grid.GapY)),
            Px(grid.LabelWidth) - 1,
            Px(grid.LabelHeight) - 1).Code128()?.Text);
        Assert.Equal(codes, read);
    }

    [Fact]
    public void Pdf_ThermalLabelPrintsAReadableBarcode()
    {
        var code = Codes(1)[0];

        var page = Poppler.Page1(Poppler.Save(new LabelSheet().Pdf(new LabelRequest(Title, [code], LabelLayout.Thermal50x30)), "thermal-label"), 203);

        Assert.Equal((400, 240), (page.Width, page.Height)); // 50 × 30 mm
        Assert.Equal(code, page.Code128()?.Text);
    }

    [Fact]
    public void Pdf_NamesTheDebianPackageWhenTheFontIsMissing()
    {
        var sheet = new LabelSheet(fontPath: "/nonexistent/gbsn00lp.ttf");

        var error = Assert.Throws<FileNotFoundException>(() => sheet.Pdf(new LabelRequest(Title, Codes(1), LabelLayout.A4)));
        Assert.Contains("fonts-arphic-gbsn00lp", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Request_WithoutCodesIsRefused()
    {
        Assert.Throws<ArgumentException>(() => new LabelSheet().Html(new LabelRequest(Title, [], LabelLayout.A4)));
    }
}
