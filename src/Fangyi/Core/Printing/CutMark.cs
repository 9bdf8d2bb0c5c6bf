using System.Globalization;
using System.Net;
using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Fangyi.Core.Printing;

// A dashed line to cut along.
internal sealed record CutMark(double X, double Y, double Width, double Height) : Mark;
