using System.Globalization;
using System.Net;
using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Fangyi.Core.Printing;

/// <summary>A dashed line to cut along.</summary>
internal sealed record CutMark(double X, double Y, double Width, double Height) : Mark;
