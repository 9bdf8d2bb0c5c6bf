using System.Diagnostics.CodeAnalysis;
using System.Text;
using Fangyi.Core.Printing;

namespace Fangyi.Tests.Support;

/// <summary>How a QR code looks to the fake camera: its symbol's side as a fraction of the frame height (null: as big
/// as the frame allows, whole pixels a module), the sensor's Gaussian grain in grey levels, and how many frames.</summary>
public sealed record CameraShot(double? Height = null, double Noise = 0, int Frames = 5, int Seed = 1);

/// <summary>
/// Video for Chromium's fake camera (--use-file-for-fake-video-capture): a Y4M file, 4:2:0, whose frames show one
/// QR code, black on white. Chromium loops the frames for as long as the camera is on. Shared with bench/Fangyi.Bench.
/// </summary>
[SuppressMessage("Security", "CA5394", Justification = "Seeded Random makes the same camera grain every run; nothing here is secret.")]
public static class FakeCamera
{
    private const byte Dark = 16;
    private const byte Light = 235;
    private const byte Scene = 150;  // what is around the phone's screen at arm's length
    private const byte NoColour = 128;
    private const int QuietZone = 4;  // Barcodes.Qr's margin, in modules

    /// <summary>Writes <paramref name="text"/> as a QR code (quiet zone included) into a Y4M file; returns its path.</summary>
    public static string WriteQr(string path, string text, int width = 640, int height = 480, int frames = 5) =>
        WriteQr(path, text, new CameraShot(Frames: frames), width, height);

    public static string WriteQr(string path, string text, CameraShot shot, int width = 640, int height = 480)
    {
        var modules = Barcodes.Qr(text);
        var dark = new bool[modules.Width * modules.Height];
        foreach (var run in modules.Runs)
        {
            Array.Fill(dark, true, run.Y * modules.Width + run.X, run.Length);
        }
        double scale = shot.Height is { } fraction
            ? fraction * height / (modules.Height - 2 * QuietZone)
            : Math.Min(width / modules.Width, height / modules.Height);
        if (scale < 1.5)
        {
            throw new ArgumentException($"A {modules.Width}-module QR code does not fit {width}x{height} at 1.5 pixels a module.", nameof(text));
        }
        var left = (width - modules.Width * scale) / 2;
        var top = (height - modules.Height * scale) / 2;

        // Each pixel is the share of dark module under it (4x4 samples), as a lens and sensor average it.
        var picture = new double[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var sum = 0.0;
                for (var s = 0; s < 16; s++)
                {
                    var mx = (x + (s % 4 + 0.5) / 4 - left) / scale;
                    var my = (y + (s / 4 + 0.5) / 4 - top) / scale;
                    sum += mx < 0 || my < 0 || mx >= modules.Width || my >= modules.Height ? Scene
                        : dark[(int)my * modules.Width + (int)mx] ? Dark : Light;
                }
                picture[y * width + x] = sum / 16;
            }
        }
        var random = new Random(shot.Seed);
        return WriteY4m(path, width, height, Enumerable.Range(0, shot.Frames).Select(_ =>
        {
            var luma = new byte[width * height];
            for (var p = 0; p < luma.Length; p++)
            {
                var grain = shot.Noise > 0 ? shot.Noise * Gaussian(random) : 0;
                luma[p] = (byte)Math.Clamp(Math.Round(picture[p] + grain), 0, 255);
            }
            return luma;
        }));
    }

    /// <summary>Writes grey frames (the Y plane of each, W×H bytes, 16 black to 235 white) into a Y4M file; returns its path.</summary>
    public static string WriteY4m(string path, int width, int height, IEnumerable<byte[]> frames, int fps = 30)
    {
        var chroma = new byte[width * height / 4];
        Array.Fill(chroma, NoColour);
        using var file = File.Create(path);
        file.Write(Encoding.ASCII.GetBytes($"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n"));
        foreach (var luma in frames)
        {
            file.Write("FRAME\n"u8);
            file.Write(luma);
            file.Write(chroma);
            file.Write(chroma);
        }
        return path;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
