using System.Text;
using Fangyi.Core.Printing;

namespace Fangyi.Tests.Support;

/// <summary>
/// Video for Chromium's fake camera (--use-file-for-fake-video-capture): a Y4M file, 4:2:0, whose frames show one
/// QR code, black on white, as big as the frame allows. Chromium loops the frames for as long as the camera is on.
/// </summary>
public static class FakeCamera
{
    private const byte Dark = 16;
    private const byte Light = 235;
    private const byte NoColour = 128;

    /// <summary>Writes <paramref name="text"/> as a QR code (quiet zone included) into a Y4M file; returns its path.</summary>
    public static string WriteQr(string path, string text, int width = 640, int height = 480, int frames = 5)
    {
        var modules = Barcodes.Qr(text);
        var scale = Math.Min(width / modules.Width, height / modules.Height);
        if (scale < 3)
        {
            throw new ArgumentException($"A {modules.Width}-module QR code does not fit {width}x{height} at 3 pixels a module.", nameof(text));
        }
        var left = (width - modules.Width * scale) / 2;
        var top = (height - modules.Height * scale) / 2;

        var luma = new byte[width * height];
        Array.Fill(luma, Light);
        foreach (var run in modules.Runs)
        {
            for (var y = top + run.Y * scale; y < top + (run.Y + 1) * scale; y++)
            {
                Array.Fill(luma, Dark, y * width + left + run.X * scale, run.Length * scale);
            }
        }
        var chroma = new byte[width * height / 4];
        Array.Fill(chroma, NoColour);

        using var file = File.Create(path);
        file.Write(Encoding.ASCII.GetBytes($"YUV4MPEG2 W{width} H{height} F30:1 Ip A1:1 C420jpeg\n"));
        for (var i = 0; i < frames; i++)
        {
            file.Write("FRAME\n"u8);
            file.Write(luma);
            file.Write(chroma);
            file.Write(chroma);
        }
        return path;
    }
}
