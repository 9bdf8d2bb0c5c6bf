using System.Globalization;
using System.Text;
using ZXing;
using ZXing.Common;
using ZXing.OneD;
using ZXing.QrCode;
using ZXing.QrCode.Internal;

namespace Fangyi.Core.Printing;

public static class Barcodes
{
    // Code 128 asks for a quiet zone of 10 modules each side (ZXing's margin hint is per side).
    private const int Code128QuietZone = 10;

    public static BarcodeModules Code128(string code)
    {
        var hints = new Dictionary<EncodeHintType, object> { [EncodeHintType.MARGIN] = Code128QuietZone };
        return FromMatrix(new Code128Writer().encode(code, BarcodeFormat.CODE_128, 0, 1, hints));
    }

    /// <summary>QR with error correction M and a 4-module quiet zone; ZXing picks numeric, alphanumeric or UTF-8 bytes.</summary>
    public static BarcodeModules Qr(string text)
    {
        var hints = new Dictionary<EncodeHintType, object>
        {
            [EncodeHintType.ERROR_CORRECTION] = ErrorCorrectionLevel.M,
            [EncodeHintType.CHARACTER_SET] = "UTF-8",
        };
        return FromMatrix(new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, hints));
    }

    private static BarcodeModules FromMatrix(BitMatrix matrix)
    {
        var runs = new List<ModuleRun>();
        for (var y = 0; y < matrix.Height; y++)
        {
            var x = 0;
            while (x < matrix.Width)
            {
                if (!matrix[x, y])
                {
                    x++;
                    continue;
                }
                var start = x;
                while (x < matrix.Width && matrix[x, y])
                {
                    x++;
                }
                runs.Add(new ModuleRun(start, y, x - start));
            }
        }
        return new BarcodeModules(matrix.Width, matrix.Height, runs);
    }

    /// <summary>An inline SVG (no xmlns: HTML5 needs none) of <paramref name="width"/> × <paramref name="height"/> mm, its viewBox in modules. Sized by attributes, not a style attribute, which the CSP refuses.</summary>
    public static string Svg(BarcodeModules modules, double width, double height)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg viewBox=\"0 0 {modules.Width} {modules.Height}\" preserveAspectRatio=\"none\" shape-rendering=\"crispEdges\" width=\"{width:0.###}mm\" height=\"{height:0.###}mm\">");
        foreach (var run in modules.Runs)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{run.X}\" y=\"{run.Y}\" width=\"{run.Length}\" height=\"1\"/>");
        }
        return svg.Append("</svg>").ToString();
    }
}
