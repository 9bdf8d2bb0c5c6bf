using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Fangyi.Core.Printing;
using ZXing;
using ZXing.Common;
using ZXing.OneD;
using ZXing.QrCode;

namespace Fangyi.Tests.Sampling;

/// <summary>A grey image, one byte per pixel, 0 black and 255 white: what a scanner would see.</summary>
internal sealed record Picture(int Width, int Height, byte[] Pixels)
{
    /// <summary>Paints each module <paramref name="scale"/> pixels wide and <paramref name="rowHeight"/> pixels high.</summary>
    public static Picture Of(BarcodeModules modules, int scale, int rowHeight)
    {
        var width = modules.Width * scale;
        var pixels = new byte[width * modules.Height * rowHeight];
        Array.Fill(pixels, (byte)255);
        foreach (var run in modules.Runs)
        {
            for (var y = run.Y * rowHeight; y < (run.Y + 1) * rowHeight; y++)
            {
                Array.Fill(pixels, (byte)0, y * width + run.X * scale, run.Length * scale);
            }
        }
        return new Picture(width, modules.Height * rowHeight, pixels);
    }

    /// <summary>Reads a binary PGM (P5), as <c>pdftoppm -gray</c> writes it.</summary>
    public static Picture FromPgm(byte[] pgm)
    {
        var at = 0;
        string Token()
        {
            while (char.IsWhiteSpace((char)pgm[at]))
            {
                at++;
            }
            var start = at;
            while (!char.IsWhiteSpace((char)pgm[at]))
            {
                at++;
            }
            return Encoding.ASCII.GetString(pgm, start, at - start);
        }
        Assert.Equal("P5", Token());
        var width = int.Parse(Token(), CultureInfo.InvariantCulture);
        var height = int.Parse(Token(), CultureInfo.InvariantCulture);
        Assert.Equal("255", Token());
        return new Picture(width, height, pgm.AsSpan(at + 1, width * height).ToArray());
    }

    public Picture Crop(int left, int top, int width, int height)
    {
        var pixels = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            Array.Copy(Pixels, (top + y) * Width + left, pixels, y * width, width);
        }
        return new Picture(width, height, pixels);
    }

    private BinaryBitmap Bitmap() =>
        new(new HybridBinarizer(new RGBLuminanceSource(Pixels, Width, Height, RGBLuminanceSource.BitmapFormat.Gray8)));

    public Result? Code128() => new Code128Reader().decode(Bitmap(), new Dictionary<DecodeHintType, object> { [DecodeHintType.TRY_HARDER] = true });

    public Result? Qr() => new QRCodeReader().decode(Bitmap(), new Dictionary<DecodeHintType, object> { [DecodeHintType.TRY_HARDER] = true });
}

/// <summary>poppler-utils (Debian package) over a PDF kept in artifacts/labels for people to look at.</summary>
internal static class Poppler
{
    public static string Folder { get; } = Path.Combine(RepositoryRoot(), "artifacts", "labels");

    public static string Save(byte[] pdf, string name)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name + ".pdf");
        File.WriteAllBytes(path, pdf);
        return path;
    }

    public static string Text(string pdf) => Encoding.UTF8.GetString(Run("pdftotext", "-enc", "UTF-8", pdf, "-"));

    /// <summary>Page 1 as artifacts/labels/NAME.png at 100 dpi for the eye, and as grey pixels at <paramref name="dpi"/> for a decoder.</summary>
    public static Picture Page1(string pdf, int dpi)
    {
        var name = Path.Combine(Folder, Path.GetFileNameWithoutExtension(pdf));
        Run("pdftoppm", "-png", "-r", "100", "-singlefile", pdf, name);
        Run("pdftoppm", "-gray", "-r", dpi.ToString(CultureInfo.InvariantCulture), "-singlefile", pdf, name);
        var pgm = File.ReadAllBytes(name + ".pgm");
        File.Delete(name + ".pgm");
        return Picture.FromPgm(pgm);
    }

    private static byte[] Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} is missing: install the Debian package poppler-utils.", e);
        }
        using (process)
        {
            using var output = new MemoryStream();
            var error = process.StandardError.ReadToEndAsync();
            process.StandardOutput.BaseStream.CopyTo(output);
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{tool} failed: {error.Result}");
            return output.ToArray();
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")))
            {
                return dir.FullName;
            }
        }
        return Path.GetTempPath();
    }
}
