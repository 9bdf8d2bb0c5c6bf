using PdfSharp.Fonts;

namespace Fangyi.Core.Printing;

/// <summary>
/// PDFsharp finds fonts only through one process-wide <see cref="IFontResolver"/>, set once. This one serves
/// TrueType files by path, the path being the family name, so sheets given different font files can coexist.
/// </summary>
public sealed class LabelFont : IFontResolver
{
    /// <summary>AR PL SungtiL GB, a simplified-Chinese Song face with Latin letters and digits.</summary>
    public const string DefaultPath = "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf";

    private static readonly LabelFont Instance = new();
    private static readonly Lock Gate = new();

    private LabelFont()
    {
    }

    /// <summary>Checks the file and installs the resolver; returns the family name to give XFont.</summary>
    public static string Family(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Font file {path} not found: install the Debian package fonts-arphic-gbsn00lp, or give the path of another TrueType (.ttf) font with Chinese glyphs and digits.",
                path);
        }
        // PDFsharp 6.2 fails with a NullReferenceException deep inside on a font collection.
        if (path.EndsWith(".ttc", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Font file {path} is a TrueType collection, which PDFsharp cannot read: give a single .ttf file such as {DefaultPath} (Debian package fonts-arphic-gbsn00lp).", nameof(path));
        }
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver != Instance)
            {
                GlobalFontSettings.FontResolver = Instance;
            }
        }
        return path;
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        File.Exists(familyName) ? new FontResolverInfo(familyName) : null;

    public byte[]? GetFont(string faceName) => File.ReadAllBytes(faceName);
}
