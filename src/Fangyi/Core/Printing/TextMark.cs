using PdfSharp.Drawing;

namespace Fangyi.Core.Printing;

// One line of text in a box Size × 1.2 high, vertically centred.
internal sealed record TextMark(string Text, double X, double Y, double Width, double Size, XStringAlignment Align) : Mark
{
    public double Height => Size * 1.2;

    /// <summary>Shrinks the size until the text fits the width, estimating Latin letters and digits at half the width of a Chinese character.</summary>
    public static TextMark Fit(string text, double x, double y, double width, double size, XStringAlignment align = XStringAlignment.Center)
    {
        var ems = text.Sum(c => c < 0x80 ? 0.55 : 1.0);
        return new TextMark(text, x, y, width, ems * size > width ? width / ems : size, align);
    }
}
