using System.Text.RegularExpressions;
using Fangyi.Features.Sampling;
using Fangyi.Core.Printing;
using System.Diagnostics.CodeAnalysis;

namespace Fangyi.Tests.Sampling;

[SuppressMessage("Security", "CA5394", Justification = "Seeded Random makes the same synthetic data every run; nothing here is secret.")]
public class BarcodeTests
{
    public static string CitizenCodeText(int seed)
    {
        const string Base45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
        var random = new Random(seed);
        return "FY1:" + new string(Enumerable.Range(0, 160).Select(_ => Base45[random.Next(Base45.Length)]).ToArray());
    }

    [Theory]
    [InlineData(CodeType.Tube, 1234)]
    [InlineData(CodeType.Box, 999_999_999)]
    [InlineData(CodeType.Tube, 0)]
    public void Code128_DecodesBackToTheCode(CodeType type, long serial)
    {
        var code = new SampleCode(type, serial).ToString();
        var modules = Barcodes.Code128(code);

        Assert.Equal(1, modules.Height);
        Assert.Equal(code, Picture.Of(modules, scale: 3, rowHeight: 30).Code128()?.Text);
    }

    [Fact]
    public void Code128_KeepsAQuietZoneOfTenModulesEachSide()
    {
        var modules = Barcodes.Code128("T0000012348");

        Assert.Equal(10, modules.Runs[0].X);
        var last = modules.Runs[^1];
        Assert.Equal(10, modules.Width - last.X - last.Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Qr_DecodesBackToItsText(int seed)
    {
        var text = CitizenCodeText(seed);
        var modules = Barcodes.Qr(text);

        Assert.Equal(modules.Width, modules.Height);
        Assert.Equal(text, Picture.Of(modules, scale: 4, rowHeight: 4).Qr()?.Text);
    }

    [Fact]
    public void Qr_CarriesChineseAsUtf8()
    {
        const string Text = "沧州市青县 市民码 130922";

        Assert.Equal(Text, Picture.Of(Barcodes.Qr(Text), scale: 4, rowHeight: 4).Qr()?.Text);
    }

    [Fact]
    public void Svg_HasOneRectPerRunInAModuleViewBox()
    {
        var modules = Barcodes.Code128("B0000000017");

        var svg = Barcodes.Svg(modules, 40, 12);

        Assert.StartsWith($"<svg viewBox=\"0 0 {modules.Width} 1\"", svg, StringComparison.Ordinal);
        Assert.Contains("crispEdges", svg, StringComparison.Ordinal);
        Assert.Contains("width=\"40mm\" height=\"12mm\"", svg, StringComparison.Ordinal);
        Assert.Equal(modules.Runs.Count, Regex.Count(svg, "<rect "));
        Assert.DoesNotContain("http", svg, StringComparison.Ordinal);
    }
}
