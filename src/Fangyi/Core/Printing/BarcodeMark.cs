using System.Globalization;
using System.Net;
using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Fangyi.Core.Printing;

internal sealed record BarcodeMark(BarcodeModules Modules, double X, double Y, double Width, double Height) : Mark;
